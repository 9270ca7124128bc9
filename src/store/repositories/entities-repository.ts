/**
 * Entities (the entity flow): which sessions are entities, found by link_id and listed a page at
 * a time, and the one change the entity flow makes to a session row (reopening it for the
 * processing job after an upload).
 */
import { isUuid } from '../../lib/ids.ts';
import type { Queryable } from '../../ports/db.ts';

export interface EntityRow {
  entityId: string;
  linkId: string;
  createdAt: Date;
}

interface Row extends Record<string, unknown> {
  session_id: string;
  link_id: string;
  created_at: Date;
}

const toEntity = (r: Row): EntityRow => ({ entityId: r.session_id, linkId: r.link_id, createdAt: r.created_at });

export function entitiesRepository(db: Queryable) {
  return {
    async insert(entity: EntityRow & { clientId: string }): Promise<void> {
      await db.query('insert into entities (session_id, client_id, link_id, created_at) values ($1, $2, $3, $4)', [
        entity.entityId,
        entity.clientId,
        entity.linkId,
        entity.createdAt,
      ]);
    },

    /** The client's entity with this id, unless its session was deleted (another client's is reported as missing). */
    async find(clientId: string, entityId: string): Promise<EntityRow | null> {
      if (!isUuid(entityId)) return null;
      const rows = await db.query<Row>(
        `select e.session_id, e.link_id, e.created_at from entities e join sessions s using (session_id)
         where e.client_id = $1 and e.session_id = $2 and s.deleted_at is null`,
        [clientId, entityId],
      );
      return rows[0] ? toEntity(rows[0]) : null;
    },

    /** The newest live entity of a link_id: link_id and entity are one to one while it lives. */
    async latestForLink(clientId: string, linkId: string): Promise<EntityRow | null> {
      const rows = await db.query<Row>(
        `select e.session_id, e.link_id, e.created_at from entities e join sessions s using (session_id)
         where e.client_id = $1 and e.link_id = $2 and s.deleted_at is null
         order by e.seq desc limit 1`,
        [clientId, linkId],
      );
      return rows[0] ? toEntity(rows[0]) : null;
    },

    /** The link_id of a session that is an entity (deleted or not), or null for a session-flow session. */
    async linkIdOf(sessionId: string): Promise<string | null> {
      const rows = await db.query<{ link_id: string }>('select link_id from entities where session_id = $1', [sessionId]);
      return rows[0]?.link_id ?? null;
    },

    async count(clientId: string, linkId: string | null): Promise<number> {
      const rows = await db.query<{ n: bigint | number | string }>(
        `select count(*) as n from entities e join sessions s using (session_id)
         where e.client_id = $1 and ($2::text is null or e.link_id = $2) and s.deleted_at is null`,
        [clientId, linkId],
      );
      return Number(rows[0]?.n ?? 0);
    },

    /** Oldest first, so that a page keeps its entities as new ones are created. */
    async page(clientId: string, linkId: string | null, offset: number, limit: number): Promise<EntityRow[]> {
      const rows = await db.query<Row>(
        `select e.session_id, e.link_id, e.created_at from entities e join sessions s using (session_id)
         where e.client_id = $1 and ($2::text is null or e.link_id = $2) and s.deleted_at is null
         order by e.seq limit $3 offset $4`,
        [clientId, linkId, limit, offset],
      );
      return rows.map(toEntity);
    },

    /**
     * Clears the entity's "processed" mark so that the processing job (process-session.ts, which
     * skips a processed session) analyses it again with its new statement. The session's
     * processing request stays unset: an entity keeps taking statements.
     */
    async reopenForProcessing(entityId: string): Promise<void> {
      await db.query('update sessions set processing_completed_at = null where session_id = $1', [entityId]);
    },
  };
}
