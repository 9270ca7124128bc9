/**
 * The charts' colours, fills and marker shapes, and the legend that names them. Colour is never
 * the only difference between two things on a chart: a second series is hatched where the first
 * is solid, markers differ in shape, and the legend writes each one out. Every colour below has
 * at least 4.5:1 against white (so also the 3:1 WCAG asks of graphics).
 */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import uPlot from 'uplot';

export const COLORS = {
  credit: '#067647',
  debit: '#b42318',
  line: '#4338ca',
  lineFill: 'rgba(67, 56, 202, 0.08)',
  salary: '#067647',
  emi: '#b42318',
  category: '#4338ca',
  returns: '#b42318',
  charges: '#475467',
  axis: '#475467',
  grid: '#eaecf0',
} as const;

const patterns = new Map<string, CanvasPattern | string>();

/** Diagonal stripes of `color` on white: the "hatched" fill. */
export function hatch(color: string): CanvasPattern | string {
  const key = `${color}@${uPlot.pxRatio}`;
  const cached = patterns.get(key);
  if (cached) return cached;
  const size = Math.round(8 * uPlot.pxRatio);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  let pattern: CanvasPattern | string = color;
  if (ctx) {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2.5 * uPlot.pxRatio;
    ctx.beginPath();
    // One stripe corner to corner, and the two halves that make it seamless when tiled.
    ctx.moveTo(0, size);
    ctx.lineTo(size, 0);
    ctx.moveTo(-size / 2, size / 2);
    ctx.lineTo(size / 2, -size / 2);
    ctx.moveTo(size / 2, size + size / 2);
    ctx.lineTo(size + size / 2, size / 2);
    ctx.stroke();
    pattern = ctx.createPattern(canvas, 'repeat') ?? color;
  }
  patterns.set(key, pattern);
  return pattern;
}

export type Shape = 'triangle' | 'diamond' | 'square' | 'circle';

/** A marker centred on (x, y), in canvas pixels; `r` is its half-size. White-edged, to stand out on the line. */
export function drawMarker(ctx: CanvasRenderingContext2D, shape: Shape, x: number, y: number, r: number, color: string): void {
  ctx.beginPath();
  if (shape === 'triangle') {
    ctx.moveTo(x, y - r * 1.15);
    ctx.lineTo(x + r, y + r * 0.75);
    ctx.lineTo(x - r, y + r * 0.75);
    ctx.closePath();
  } else if (shape === 'diamond') {
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r * 1.2);
    ctx.lineTo(x - r, y);
    ctx.closePath();
  } else if (shape === 'square') {
    ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
  } else {
    ctx.arc(x, y, r * 0.9, 0, Math.PI * 2);
  }
  ctx.fillStyle = color;
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5 * uPlot.pxRatio;
  ctx.fill();
  ctx.stroke();
}

export type Swatch = { kind: 'solid' | 'hatched' | 'line'; color: string } | { kind: 'marker'; shape: Shape; color: string };

function SwatchIcon({ swatch }: { swatch: Swatch }) {
  const id = useId();
  const patternId = `hatch-${id.replace(/[^A-Za-z0-9_-]/g, '')}`;
  if (swatch.kind === 'line') {
    return (
      <svg class="legend-swatch" viewBox="0 0 20 14" aria-hidden="true">
        <path d="M1 10 L7 5 L12 8 L19 3" fill="none" stroke={swatch.color} stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" />
      </svg>
    );
  }
  if (swatch.kind === 'marker') {
    const c = swatch.color;
    const shape =
      swatch.shape === 'triangle' ? (
        <path d="M10 1.5 L17 12.5 L3 12.5 Z" fill={c} />
      ) : swatch.shape === 'diamond' ? (
        <path d="M10 0.5 L16 7 L10 13.5 L4 7 Z" fill={c} />
      ) : swatch.shape === 'square' ? (
        <rect x="4.5" y="2" width="11" height="10" fill={c} />
      ) : (
        <circle cx="10" cy="7" r="5.5" fill={c} />
      );
    return (
      <svg class="legend-swatch" viewBox="0 0 20 14" aria-hidden="true">
        {shape}
      </svg>
    );
  }
  return (
    <svg class="legend-swatch" viewBox="0 0 20 14" aria-hidden="true">
      {swatch.kind === 'hatched' && (
        <defs>
          <pattern id={patternId} width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="5" height="5" fill="#ffffff" />
            <rect width="2.2" height="5" fill={swatch.color} />
          </pattern>
        </defs>
      )}
      <rect x="1.5" y="1.5" width="17" height="11" rx="1.5" fill={swatch.kind === 'hatched' ? `url(#${patternId})` : swatch.color} stroke={swatch.color} stroke-width="1.5" />
    </svg>
  );
}

/** The chart's key: each series or marker, drawn as on the chart and named in words. */
export function Legend({ items }: { items: { swatch: Swatch; label: ComponentChildren }[] }) {
  return (
    <ul class="chart-legend" aria-label="Legend">
      {items.map((item, i) => (
        <li key={i} class="chart-legend-item">
          <SwatchIcon swatch={item.swatch} />
          <span>{item.label}</span>
        </li>
      ))}
    </ul>
  );
}
