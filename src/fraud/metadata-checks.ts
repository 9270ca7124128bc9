/**
 * Fraud checks on what the PDF says about its making (pdf-metadata.ts):
 * - `author_fraud`: the Producer is not software the bank's statements are made with (when the
 *   bank's profile lists its producers), or the Producer or Creator names a PDF editing tool;
 * - `date_fraud`: the file was modified after it was created (ModDate later than CreationDate);
 * - `incremental_update`: the file was saved more than once (an edit appended as a new revision).
 */
import type { FraudFinding } from '../domain/insights.ts';
import { editingToolIn } from './editing-tools.ts';
import { pdfDateMillis, xmpDateMillis, type DocumentInfo, type Revisions } from './pdf-metadata.ts';

/** A ModDate this close after CreationDate is the same save (a producer stamps both as it writes). */
export const MODIFIED_SLACK_MS = 60_000;

export function producerFindings(info: DocumentInfo, knownProducers: string[], statementId: string): FraudFinding[] {
  const findings: FraudFinding[] = [];
  const known = knownProducers.map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  const fields: [string, string | null][] = [
    ['Producer', info.producer],
    ['Creator', info.creator],
    ['XMP pdf:Producer', info.xmp?.producer ?? null],
    ['XMP xmp:CreatorTool', info.xmp?.creatorTool ?? null],
  ];
  const flagged = new Set<string>();
  for (const [field, value] of fields) {
    // The XMP packet usually repeats the information dictionary: a value is reported once.
    if (value === null || flagged.has(value)) continue;
    const tool = editingToolIn(value);
    let reason: string | null = null;
    if (tool) {
      reason = `The PDF's ${field} is "${value}": ${tool.name} is a PDF editing tool, so the file was opened and saved by it after the bank made it.`;
    } else if (field === 'Producer' && known.length > 0 && !known.some((k) => value.toLowerCase().includes(k))) {
      reason = `The PDF's Producer is "${value}", which is not software this bank's statements are made with (${knownProducers.join(', ')}).`;
    }
    if (reason) {
      flagged.add(value);
      findings.push({
        fraudType: 'author_fraud',
        fraudCategory: 'metadata',
        statementId,
        transactionHash: null,
        reason,
        evidence: [{ kind: 'metadata', statementId, field, value }],
      });
    }
  }
  return findings;
}

function utc(millis: number): string {
  return `${new Date(millis).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function span(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 72) return `${hours} hours`;
  return `${Math.round(ms / 86_400_000)} days`;
}

/** ModDate after CreationDate in the information dictionary, or else xmp:ModifyDate after xmp:CreateDate. */
export function modifiedFindings(info: DocumentInfo, statementId: string): FraudFinding[] {
  const pairs = [
    { created: info.creationDate, modified: info.modDate, parse: pdfDateMillis, fields: ['CreationDate', 'ModDate'] },
    { created: info.xmp?.createDate ?? null, modified: info.xmp?.modifyDate ?? null, parse: xmpDateMillis, fields: ['XMP xmp:CreateDate', 'XMP xmp:ModifyDate'] },
  ];
  for (const pair of pairs) {
    if (pair.created === null || pair.modified === null) continue;
    const created = pair.parse(pair.created);
    const modified = pair.parse(pair.modified);
    if (created === null || modified === null || modified - created <= MODIFIED_SLACK_MS) continue;
    return [modifiedFinding(statementId, created, modified, [pair.fields[1]!, pair.modified], [pair.fields[0]!, pair.created])];
  }
  return [];
}

function modifiedFinding(statementId: string, created: number, modified: number, modifiedField: [string, string], createdField: [string, string]): FraudFinding {
  return {
      fraudType: 'date_fraud',
      fraudCategory: 'metadata',
      statementId,
      transactionHash: null,
      reason: `The PDF was modified on ${utc(modified)}, ${span(modified - created)} after it was created (${utc(created)}): a statement is not changed after the bank issues it.`,
      evidence: [
        { kind: 'metadata', statementId, field: modifiedField[0], value: modifiedField[1] },
        { kind: 'metadata', statementId, field: createdField[0], value: createdField[1] },
      ],
  };
}

/** `roles` says what objects are (pdf-metadata.ts objectRoles), to name what the updates rewrote. */
export function revisionFindings(revisions: Revisions, statementId: string, roles: Map<number, string> = new Map()): FraudFinding[] {
  const edits = revisions.count - 1 - revisions.signingRevisions;
  if (edits < 1) return [];
  const signed = revisions.signingRevisions > 0 ? ` (${revisions.signingRevisions} more only add${revisions.signingRevisions === 1 ? 's' : ''} a digital signature)` : '';
  const named = revisions.rewritten.filter((n) => roles.has(n)).map((n) => `${roles.get(n)!} (object ${n})`);
  const others = revisions.rewritten.length - named.length;
  const parts = [...named.slice(0, 10), ...(named.length > 10 ? [`${named.length - 10} more such objects`] : []), ...(others > 0 ? [`${others} other object${others === 1 ? '' : 's'}`] : [])];
  const rewrote = parts.length > 0 ? ` The later saves rewrote ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}` : parts[0]!}.` : '';
  return [
    {
      fraudType: 'incremental_update',
      fraudCategory: 'metadata',
      statementId,
      transactionHash: null,
      reason:
        `The file has ${revisions.count} revisions: after it was first written it was saved again ${edits} time${edits === 1 ? '' : 's'} by incremental update${signed}, ` +
        `each appending changed objects and a new cross-reference section; what is shown is the last revision, not the original.${rewrote}`,
      evidence: [{ kind: 'metadata', statementId, field: 'revisions', value: String(revisions.count) }],
    },
  ];
}
