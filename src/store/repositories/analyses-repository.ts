/**
 * The stored analyses: one document per account (AccountAnalysis, domain/insights.ts) and one
 * per session (its aggregate monthly analysis), written by the processing job and read whole by
 * the data APIs. Rewritten, not appended, when enrichment runs again.
 */
import type { AccountAnalysis } from '../../domain/insights.ts';
import type { Queryable } from '../../ports/db.ts';

/** The session-level part of the analysis. */
export interface SessionAnalysis {
  enrichmentVersion: string;
  /** metric → month (`YYYY-MM`) → value, combined over the session's accounts. */
  aggregateMonthlyAnalysis: AccountAnalysis['monthlyAnalysis'];
}

export function analysesRepository(db: Queryable) {
  return {
    async saveAccount(sessionId: string, analysis: AccountAnalysis, at: Date): Promise<void> {
      await db.query(
        `insert into account_analyses (account_id, session_id, enrichment_version, analysed_at, document) values ($1, $2, $3, $4, $5)
         on conflict (account_id) do update set enrichment_version = excluded.enrichment_version, analysed_at = excluded.analysed_at, document = excluded.document`,
        [analysis.accountId, sessionId, analysis.enrichmentVersion, at, JSON.stringify(analysis)],
      );
    },

    async saveSession(sessionId: string, analysis: SessionAnalysis, at: Date): Promise<void> {
      await db.query(
        `insert into session_analyses (session_id, enrichment_version, analysed_at, document) values ($1, $2, $3, $4)
         on conflict (session_id) do update set enrichment_version = excluded.enrichment_version, analysed_at = excluded.analysed_at, document = excluded.document`,
        [sessionId, analysis.enrichmentVersion, at, JSON.stringify(analysis)],
      );
    },

    /** Every analysed account of the session, by account id. */
    async accountsOf(sessionId: string): Promise<Map<string, AccountAnalysis>> {
      const rows = await db.query<{ account_id: string; document: string }>('select account_id, document from account_analyses where session_id = $1', [sessionId]);
      return new Map(rows.map((r) => [r.account_id, JSON.parse(r.document) as AccountAnalysis]));
    },

    async sessionOf(sessionId: string): Promise<SessionAnalysis | null> {
      const rows = await db.query<{ document: string }>('select document from session_analyses where session_id = $1', [sessionId]);
      return rows[0] ? (JSON.parse(rows[0].document) as SessionAnalysis) : null;
    },

    /** The enrichment version each analysed session of a client was made with (for re-running enrichment). */
    async versionOf(sessionId: string): Promise<string | null> {
      const rows = await db.query<{ enrichment_version: string }>('select enrichment_version from session_analyses where session_id = $1', [sessionId]);
      return rows[0]?.enrichment_version ?? null;
    },

    async deleteForSession(sessionId: string): Promise<void> {
      await db.query('delete from session_analyses where session_id = $1', [sessionId]);
    },
  };
}
