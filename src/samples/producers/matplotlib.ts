/** The matplotlib producer: one figure per page, text placed with `fig.text`, fonts embedded as Type3 (Debian: python3-matplotlib). */
import { fileURLToPath } from 'node:url';
import type { SampleStatement } from '../statement-pages.ts';
import { drawWithPython } from './run-tool.ts';

const SCRIPT = fileURLToPath(new URL('./draw_with_matplotlib.py', import.meta.url));

/** Each statement's PDF, from one Python run. */
export function matplotlibPdfs(statements: SampleStatement[]): Promise<Buffer[]> {
  return drawWithPython(SCRIPT, statements, { module: 'matplotlib', install: 'python3-matplotlib', timeoutMs: 60_000 + 20_000 * statements.length });
}

export async function matplotlibPdf(statement: SampleStatement): Promise<Buffer> {
  const [pdf] = await matplotlibPdfs([statement]);
  return pdf!;
}
