/**
 * Fraud checks on how the pages are drawn (page-marks.ts):
 * - `overwritten_text`: a filled box painted over text printed before it, with new text drawn on
 *   top: the usual way an editor "changes" a printed number without removing the old one;
 * - `font_mismatch`: an amount or balance set in a font or size its column does not otherwise use.
 */
import type { FraudEvidence, FraudFinding } from '../domain/insights.ts';
import type { BoundingBox, ParsedStatement } from '../domain/statement.ts';
import { transactionHash } from '../enrichment/transaction-hash.ts';
import type { DocumentMarks, FilledBox, PageMarks, TextRun } from './page-marks.ts';
import { describeRow, MAX_FINDINGS_PER_TYPE, rowEvidence } from './statement-checks.ts';

/** Share of a run's box inside a filled box for the run to count as under (or on) it. */
const INSIDE = 0.5;
/** A filled box thinner than this (points) is a rule or a border, not a cover. */
const MIN_COVER = 2;

function area(b: BoundingBox): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

function insideShare(run: BoundingBox, box: BoundingBox): number {
  const overlap: BoundingBox = [Math.max(run[0], box[0]), Math.max(run[1], box[1]), Math.min(run[2], box[2]), Math.min(run[3], box[3])];
  const a = area(run);
  return a === 0 ? 0 : area(overlap) / a;
}

/** The parsed row (0-based index) whose box holds the centre of `box` on `page`, or -1. */
function rowAt(parsed: ParsedStatement, page: number, box: BoundingBox, slack = 1): number {
  const cx = (box[0] + box[2]) / 2;
  const cy = (box[1] + box[3]) / 2;
  return parsed.transactions.findIndex((t) => t.page === page && cx >= t.bbox[0] - slack && cx <= t.bbox[2] + slack && cy >= t.bbox[1] - slack && cy <= t.bbox[3] + slack);
}

function quoted(runs: TextRun[]): string {
  const texts = runs.map((r) => `"${r.text.length > 40 ? `${r.text.slice(0, 40)}…` : r.text}"`);
  return texts.length > 3 ? `${texts.slice(0, 3).join(', ')} and ${texts.length - 3} more` : texts.join(', ');
}

function colourName(fill: FilledBox): string {
  if (fill.white) return 'white';
  return `${fill.colour.length === 1 ? 'grey' : fill.colour.length === 3 ? 'RGB' : 'CMYK'} (${fill.colour.map((c) => Math.round(c * 100) / 100).join(' ')})`;
}

/** Runs banded by their top (20 pt bands), so each filled box is compared with the runs near it only. */
function bands(runs: TextRun[]): Map<number, TextRun[]> {
  const out = new Map<number, TextRun[]>();
  for (const r of runs) {
    if (!r.visible) continue;
    for (let b = Math.floor(r.box[1] / 20); b <= Math.floor(r.box[3] / 20); b++) {
      const list = out.get(b);
      if (list) list.push(r);
      else out.set(b, [r]);
    }
  }
  return out;
}

export function overwrittenTextFindings(marks: DocumentMarks, parsed: ParsedStatement, statementId: string): FraudFinding[] {
  const findings: FraudFinding[] = [];
  for (const page of marks.pages) findings.push(...overwrittenTextOnPage(page, parsed, statementId));
  return findings.slice(0, MAX_FINDINGS_PER_TYPE);
}

/** One page's covered-and-redrawn text (at most MAX_FINDINGS_PER_TYPE). */
export function overwrittenTextOnPage(page: PageMarks, parsed: ParsedStatement, statementId: string): FraudFinding[] {
  const findings: FraudFinding[] = [];
  if (page.fills.length === 0 || page.runs.length === 0) return findings;
  const banded = bands(page.runs);
  for (const fill of page.fills) {
    if (findings.length >= MAX_FINDINGS_PER_TYPE) break;
    const f = fill.box;
    if (f[2] - f[0] < MIN_COVER || f[3] - f[1] < MIN_COVER) continue;
    const near = new Set<TextRun>();
    for (let b = Math.floor(f[1] / 20); b <= Math.floor(f[3] / 20); b++) for (const r of banded.get(b) ?? []) near.add(r);
    const under: TextRun[] = [];
    const over: TextRun[] = [];
    for (const r of near) {
      if (insideShare(r.box, f) < INSIDE) continue;
      (r.seq < fill.seq ? under : over).push(r);
    }
    if (under.length === 0 || over.length === 0) continue;
    findings.push(overwriteFinding(page, fill, under, over, parsed, statementId));
  }
  return findings;
}

function overwriteFinding(page: PageMarks, fill: FilledBox, under: TextRun[], over: TextRun[], parsed: ParsedStatement, statementId: string): FraudFinding {
  const row = rowAt(parsed, page.number, fill.box);
  const hash = row >= 0 ? transactionHash(statementId, row + 1) : null;
  const [x0, top, x1, bottom] = fill.box;
  const where = row >= 0 ? `, in ${describeRow(row, parsed.transactions[row]!)}` : '';
  const evidence: FraudEvidence[] = [{ kind: 'box', statementId, page: page.number, bbox: fill.box, transactionHash: hash }];
  if (row >= 0) evidence.push(rowEvidence(statementId, row, parsed.transactions[row]!));
  return {
    fraudType: 'overwritten_text',
    fraudCategory: 'metadata',
    statementId,
    transactionHash: hash,
    reason:
      `On page ${page.number} a ${colourName(fill)} box at x ${x0}–${x1}, y ${top}–${bottom} (points from the top left) is painted over ${quoted(under)}, ` +
      `printed before it, and ${quoted(over)} is drawn on top of it${where}: the printed text was covered and replaced.`,
    evidence,
  };
}

/** An amount or balance as statements print it: digits with grouping commas and paise, maybe signed, in brackets, or marked Cr/Dr. */
const MONEY = /^[-+]?\(?(?:₹|Rs\.?|INR)?\s*-?\d{1,3}(?:,\d{2,3})*(?:\.\d{1,2})\)?\s*(?:\(?(?:Cr|Dr|CR|DR|C|D)\)?\.?)?$/;

export interface MoneyRun {
  run: TextRun;
  page: number;
  row: number;
}

/** The parsed rows' indexes by page, for finding the row a run is in. */
export function rowsByPage(parsed: ParsedStatement): Map<number, number[]> {
  const byPage = new Map<number, number[]>();
  parsed.transactions.forEach((t, i) => {
    const list = byPage.get(t.page);
    if (list) list.push(i);
    else byPage.set(t.page, [i]);
  });
  return byPage;
}

/** The amounts and balances one page prints in the transaction rows, each with its row. */
export function moneyRunsOnPage(page: PageMarks, parsed: ParsedStatement, byPage: Map<number, number[]>): MoneyRun[] {
  const rows = byPage.get(page.number);
  if (!rows) return [];
  const money: MoneyRun[] = [];
  for (const run of page.runs) {
    if (!run.visible || !MONEY.test(run.text)) continue;
    const cx = (run.box[0] + run.box[2]) / 2;
    const cy = (run.box[1] + run.box[3]) / 2;
    const row = rows.find((i) => {
      const b = parsed.transactions[i]!.bbox;
      return cx >= b[0] - 1 && cx <= b[2] + 1 && cy >= b[1] - 1 && cy <= b[3] + 1;
    });
    if (row !== undefined) money.push({ run, page: page.number, row });
  }
  return money;
}

/** Amounts grouped into columns: runs whose x-ranges overlap, over the whole document. */
function moneyColumns(money: MoneyRun[]): MoneyRun[][] {
  const sorted = [...money].sort((a, b) => a.run.box[0] - b.run.box[0]);
  const columns: { x1: number; runs: MoneyRun[] }[] = [];
  for (const m of sorted) {
    const last = columns.at(-1);
    if (last && m.run.box[0] <= last.x1) {
      last.runs.push(m);
      last.x1 = Math.max(last.x1, m.run.box[2]);
    } else {
      columns.push({ x1: m.run.box[2], runs: [m] });
    }
  }
  return columns.map((c) => c.runs);
}

const styleOf = (r: TextRun) => `${r.font}|${r.size.toFixed(1)}`;
const describeStyle = (r: TextRun) => `${r.font || 'an unnamed font'} ${r.size.toFixed(1)} pt`;

/** Each column's amounts set mostly (≥ 80 %, at least 5) in one font and size; the others are flagged, one finding a row. */
export function fontMismatchFindings(marks: DocumentMarks, parsed: ParsedStatement, statementId: string): FraudFinding[] {
  const byPage = rowsByPage(parsed);
  return fontMismatchIn(
    marks.pages.flatMap((page) => moneyRunsOnPage(page, parsed, byPage)),
    parsed,
    statementId,
  );
}

/** `font_mismatch` findings among the amounts and balances of the rows (moneyRunsOnPage, every page's). */
export function fontMismatchIn(money: MoneyRun[], parsed: ParsedStatement, statementId: string): FraudFinding[] {
  const odd = new Map<number, { page: number; runs: TextRun[]; usual: TextRun; usualCount: number; total: number }>();
  for (const column of moneyColumns(money)) {
    if (column.length < 5) continue;
    const counts = new Map<string, { count: number; sample: TextRun }>();
    for (const m of column) {
      const key = styleOf(m.run);
      const c = counts.get(key);
      if (c) c.count++;
      else counts.set(key, { count: 1, sample: m.run });
    }
    const usual = [...counts.values()].sort((a, b) => b.count - a.count)[0]!;
    if (usual.count < 0.8 * column.length || usual.count === column.length) continue;
    const usualKey = styleOf(usual.sample);
    for (const m of column) {
      if (styleOf(m.run) === usualKey) continue;
      const entry = odd.get(m.row);
      if (entry) entry.runs.push(m.run);
      else odd.set(m.row, { page: m.page, runs: [m.run], usual: usual.sample, usualCount: usual.count, total: column.length });
    }
  }
  const findings: FraudFinding[] = [];
  for (const [row, o] of [...odd.entries()].sort((a, b) => a[0] - b[0])) {
    if (findings.length >= MAX_FINDINGS_PER_TYPE) break;
    const t = parsed.transactions[row]!;
    const runs = o.runs.map((r) => `"${r.text}" is set in ${describeStyle(r)}`).join(', and ');
    findings.push({
      fraudType: 'font_mismatch',
      fraudCategory: 'metadata',
      statementId,
      transactionHash: transactionHash(statementId, row + 1),
      reason: `In ${describeRow(row, t)} ${runs}, but ${o.usualCount} of the ${o.total} amounts in its column are set in ${describeStyle(o.usual)}.`,
      evidence: [rowEvidence(statementId, row, t), ...o.runs.map((r): FraudEvidence => ({ kind: 'box', statementId, page: o.page, bbox: r.box, transactionHash: transactionHash(statementId, row + 1) }))],
    });
  }
  return findings;
}
