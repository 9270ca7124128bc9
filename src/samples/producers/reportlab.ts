/** The reportlab producer: Python's reportlab canvas draws the page model with its own Helvetica (Debian: python3-reportlab). */
import { fileURLToPath } from 'node:url';
import type { SampleStatement } from '../statement-pages.ts';
import { drawWithPython } from './run-tool.ts';

const SCRIPT = fileURLToPath(new URL('./draw_with_reportlab.py', import.meta.url));

/** Each statement's PDF, from one Python run. */
export function reportlabPdfs(statements: SampleStatement[]): Promise<Buffer[]> {
  return drawWithPython(SCRIPT, statements, { module: 'reportlab', install: 'python3-reportlab', timeoutMs: 30_000 + 10_000 * statements.length });
}

export async function reportlabPdf(statement: SampleStatement): Promise<Buffer> {
  const [pdf] = await reportlabPdfs([statement]);
  return pdf!;
}
