/**
 * A uPlot chart as a Preact component: the plot is made when the component mounts (and again
 * when its options change), fed new data in place, resized with its container (ResizeObserver),
 * and destroyed when the component goes.
 *
 * It is operable without a mouse: the chart takes focus, the arrow keys (and Home, End) move
 * between its points, and Enter or Space picks one, as a click does. What the pointer or the
 * keyboard is on is written under the chart, and said to screen readers on a key press.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';

export interface Pick {
  plot: uPlot;
  /** Where the pointer was, in CSS pixels within the plotting area (a click only). */
  left?: number;
  top?: number;
  keyboard: boolean;
}

export interface ChartProps {
  /** The plot's options for a width (without width and height). A new function makes a new plot. */
  options: (width: number) => Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: (width: number) => number;
  /** What the point at an index says, for the readout. */
  describe: (idx: number) => string;
  onPick: (idx: number, pick: Pick) => void;
  /** The picked point, outlined on the chart. */
  selected: number | null;
  /** The chart's name and the ids of what describes it (its description, the keyboard hint). */
  label: string;
  describedBy: string;
}

const ACCENT = '#4338ca';

export function UPlotChart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const active = useRef<number | null>(null);
  const [readout, setReadout] = useState('');
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(200, Math.floor(el.clientWidth));
    const base = latest.current.options(width);
    const hooks = base.hooks ?? {};
    const opts: uPlot.Options = {
      ...base,
      width,
      height: latest.current.height(width),
      hooks: {
        ...hooks,
        setCursor: [
          ...(hooks.setCursor ?? []),
          (u) => {
            const idx = u.cursor.idx;
            if (idx != null) active.current = idx;
            setReadout(idx == null ? '' : latest.current.describe(idx));
          },
        ],
        drawAxes: [...(hooks.drawAxes ?? []), (u) => outlineSelected(u, latest.current.selected)],
      },
    };
    const u = new uPlot(opts, latest.current.data, el);
    plot.current = u;
    const click = () => {
      const idx = u.cursor.idx;
      if (idx == null) return;
      latest.current.onPick(idx, { plot: u, left: u.cursor.left ?? 0, top: u.cursor.top ?? 0, keyboard: false });
    };
    u.over.addEventListener('click', click);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const w = Math.floor(el.clientWidth);
        if (w > 0 && w !== u.width) u.setSize({ width: w, height: latest.current.height(w) });
      });
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      u.over.removeEventListener('click', click);
      u.destroy();
      plot.current = null;
    };
  }, [props.options]);

  useEffect(() => {
    const u = plot.current;
    if (u && u.data !== props.data) u.setData(props.data);
  }, [props.data]);

  useEffect(() => {
    plot.current?.redraw(false);
  }, [props.selected]);

  const onKeyDown = (event: KeyboardEvent) => {
    const u = plot.current;
    if (!u) return;
    const count = u.data[0].length;
    if (count === 0) return;
    const at = active.current;
    let to: number | null = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') to = at == null ? 0 : Math.min(count - 1, at + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') to = at == null ? 0 : Math.max(0, at - 1);
    else if (event.key === 'PageDown') to = at == null ? 0 : Math.min(count - 1, at + 7);
    else if (event.key === 'PageUp') to = at == null ? 0 : Math.max(0, at - 7);
    else if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = count - 1;
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const idx = at ?? 0;
      moveCursor(u, idx);
      latest.current.onPick(idx, { plot: u, keyboard: true });
      return;
    }
    if (to === null) return;
    event.preventDefault();
    active.current = to;
    moveCursor(u, to);
    const text = latest.current.describe(to);
    setReadout(text);
    setAnnouncement(text);
  };

  return (
    <div class="chart-frame">
      <div
        class="chart-plot"
        tabIndex={0}
        role="group"
        aria-roledescription="chart"
        aria-label={props.label}
        aria-describedby={props.describedBy}
        onKeyDown={onKeyDown}
        onFocus={() => {
          const u = plot.current;
          if (u && active.current == null && u.data[0].length > 0) {
            active.current = 0;
            moveCursor(u, 0);
            setReadout(latest.current.describe(0));
          }
        }}
      >
        <div ref={host} class="chart-host" aria-hidden="true" />
      </div>
      <p class="chart-readout" aria-hidden="true">
        {readout || '\u00a0'}
      </p>
      <p class="sr-only" role="status">
        {announcement}
      </p>
    </div>
  );
}

/** Puts the cursor on a point (as the pointer would), on the first series with a value there. */
function moveCursor(u: uPlot, idx: number): void {
  const x = u.data[0][idx];
  if (x == null) return;
  const along = u.valToPos(x, 'x');
  let across = 0;
  for (let s = 1; s < u.series.length; s++) {
    const v = u.data[s]?.[idx];
    if (v != null) {
      across = u.valToPos(v, u.series[s]!.scale ?? 'y');
      break;
    }
  }
  const vertical = u.scales.x?.ori === 1;
  u.setCursor(vertical ? { left: across, top: along } : { left: along, top: across });
}

/** A band behind the picked point, edged in the accent colour (drawn before the series). */
function outlineSelected(u: uPlot, idx: number | null): void {
  if (idx == null) return;
  const xs = u.data[0];
  const x = xs[idx];
  if (x == null) return;
  const step = xs.length > 1 ? Math.abs((xs[1] as number) - (xs[0] as number)) : 1;
  const a = u.valToPos(x - step / 2, 'x', true);
  const b = u.valToPos(x + step / 2, 'x', true);
  const lo = Math.min(a, b);
  const size = Math.max(Math.abs(b - a), 3 * uPlot.pxRatio);
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  ctx.save();
  ctx.fillStyle = 'rgba(79, 70, 229, 0.10)';
  ctx.strokeStyle = ACCENT;
  ctx.lineWidth = uPlot.pxRatio;
  ctx.setLineDash([4 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
  if (u.scales.x?.ori === 1) {
    ctx.fillRect(left, lo, width, size);
    ctx.strokeRect(left + 0.5, lo + 0.5, width - 1, size - 1);
  } else {
    ctx.fillRect(lo, top, size, height);
    ctx.strokeRect(lo + 0.5, top + 0.5, size - 1, height - 1);
  }
  ctx.restore();
}
