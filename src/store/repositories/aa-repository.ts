/** Account Aggregator consents and FI requests (migrations/0010_account_aggregator.sql). */
import type { AaConsent, AaConsentAccount, AaConsentStatus, AaFiAccountStatus, AaFiRequest, AaFiStatus } from '../../domain/aa-consent.ts';
import type { CalendarDate } from '../../lib/calendar-date.ts';
import type { Queryable } from '../../ports/db.ts';

interface ConsentRow extends Record<string, unknown> {
  consent_request_id: string;
  session_id: string;
  fetch_type: 'ONETIME' | 'PERIODIC';
  consent_handle: string;
  consent_id: string | null;
  status: AaConsentStatus;
  from_date: string;
  to_date: string;
  consent_expiry: Date;
  frequency_unit: string | null;
  frequency_value: number | null;
  accounts: AaConsentAccount[] | null;
  digital_signature: string | null;
  error_code: string | null;
  created_at: Date;
  updated_at: Date;
}

function toConsent(r: ConsentRow): AaConsent {
  return {
    consentRequestId: r.consent_request_id,
    sessionId: r.session_id,
    fetchType: r.fetch_type,
    consentHandle: r.consent_handle,
    consentId: r.consent_id,
    status: r.status,
    fromDate: r.from_date as CalendarDate,
    toDate: r.to_date as CalendarDate,
    consentExpiry: r.consent_expiry,
    frequency: r.frequency_unit && r.frequency_value !== null ? { unit: r.frequency_unit as 'DAY', value: r.frequency_value } : null,
    accounts: r.accounts,
    digitalSignature: r.digital_signature,
    errorCode: r.error_code,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

interface FiRequestRow extends Record<string, unknown> {
  fi_request_id: string;
  consent_request_id: string;
  session_id: string;
  aa_session_id: string | null;
  status: AaFiStatus;
  from_date: string;
  to_date: string;
  accounts: AaFiAccountStatus[];
  error_code: string | null;
  created_at: Date;
}

function toFiRequest(r: FiRequestRow): AaFiRequest {
  return {
    fiRequestId: r.fi_request_id,
    consentRequestId: r.consent_request_id,
    sessionId: r.session_id,
    aaSessionId: r.aa_session_id,
    status: r.status,
    fromDate: r.from_date as CalendarDate,
    toDate: r.to_date as CalendarDate,
    accounts: r.accounts,
    errorCode: r.error_code,
    createdAt: r.created_at,
  };
}

export type NewAaConsent = Pick<AaConsent, 'consentRequestId' | 'sessionId' | 'fetchType' | 'consentHandle' | 'fromDate' | 'toDate' | 'consentExpiry' | 'frequency'>;

export function aaRepository(db: Queryable) {
  return {
    async insertConsent(c: NewAaConsent, now: Date): Promise<void> {
      await db.query(
        `insert into aa_consents (consent_request_id, session_id, fetch_type, consent_handle, status, from_date, to_date,
           consent_expiry, frequency_unit, frequency_value, created_at, updated_at)
         values ($1, $2, $3, $4, 'PENDING', $5, $6, $7, $8, $9, $10, $10)`,
        [c.consentRequestId, c.sessionId, c.fetchType, c.consentHandle, c.fromDate, c.toDate, c.consentExpiry, c.frequency?.unit ?? null, c.frequency?.value ?? null, now],
      );
    },

    async consent(consentRequestId: string): Promise<AaConsent | null> {
      const rows = await db.query<ConsentRow>('select * from aa_consents where consent_request_id = $1', [consentRequestId]);
      return rows[0] ? toConsent(rows[0]) : null;
    },

    /** Locks the consent's row for the rest of the transaction (one writer of its state at a time). */
    async lockConsent(consentRequestId: string): Promise<AaConsent | null> {
      const rows = await db.query<ConsentRow>('select * from aa_consents where consent_request_id = $1 for update', [consentRequestId]);
      return rows[0] ? toConsent(rows[0]) : null;
    },

    async consentByHandle(handle: string): Promise<AaConsent | null> {
      const rows = await db.query<ConsentRow>('select * from aa_consents where consent_handle = $1', [handle]);
      return rows[0] ? toConsent(rows[0]) : null;
    },

    async consentById(consentId: string): Promise<AaConsent | null> {
      const rows = await db.query<ConsentRow>('select * from aa_consents where consent_id = $1', [consentId]);
      return rows[0] ? toConsent(rows[0]) : null;
    },

    /** The session's consents, newest first. */
    async consentsOfSession(sessionId: string): Promise<AaConsent[]> {
      const rows = await db.query<ConsentRow>('select * from aa_consents where session_id = $1 order by created_at desc, consent_request_id', [sessionId]);
      return rows.map(toConsent);
    },

    async updateConsent(
      consentRequestId: string,
      change: { status: AaConsentStatus; consentId?: string | null; accounts?: AaConsentAccount[]; digitalSignature?: string; errorCode?: string | null },
      now: Date,
    ): Promise<void> {
      await db.query(
        `update aa_consents set status = $2, consent_id = coalesce($3, consent_id), accounts = coalesce($4::jsonb, accounts),
           digital_signature = coalesce($5, digital_signature), error_code = $6, updated_at = $7
         where consent_request_id = $1`,
        [
          consentRequestId, change.status, change.consentId ?? null, change.accounts ? JSON.stringify(change.accounts) : null,
          change.digitalSignature ?? null, change.errorCode ?? null, now,
        ],
      );
    },

    async insertFiRequest(r: { fiRequestId: string; consentRequestId: string; sessionId: string; fromDate: CalendarDate; toDate: CalendarDate; keyMaterial: Buffer }, now: Date): Promise<void> {
      await db.query(
        `insert into aa_fi_requests (fi_request_id, consent_request_id, session_id, status, from_date, to_date, key_material, created_at, updated_at)
         values ($1, $2, $3, 'REQUESTED', $4, $5, $6, $7, $7)`,
        [r.fiRequestId, r.consentRequestId, r.sessionId, r.fromDate, r.toDate, r.keyMaterial, now],
      );
    },

    async setAaSessionId(fiRequestId: string, aaSessionId: string, now: Date): Promise<void> {
      await db.query('update aa_fi_requests set aa_session_id = $2, updated_at = $3 where fi_request_id = $1', [fiRequestId, aaSessionId, now]);
    },

    async fiRequest(fiRequestId: string): Promise<AaFiRequest | null> {
      const rows = await db.query<FiRequestRow>('select * from aa_fi_requests where fi_request_id = $1', [fiRequestId]);
      return rows[0] ? toFiRequest(rows[0]) : null;
    },

    async lockFiRequest(fiRequestId: string): Promise<AaFiRequest | null> {
      const rows = await db.query<FiRequestRow>('select * from aa_fi_requests where fi_request_id = $1 for update', [fiRequestId]);
      return rows[0] ? toFiRequest(rows[0]) : null;
    },

    async fiRequestByAaSession(aaSessionId: string): Promise<AaFiRequest | null> {
      const rows = await db.query<FiRequestRow>('select * from aa_fi_requests where aa_session_id = $1', [aaSessionId]);
      return rows[0] ? toFiRequest(rows[0]) : null;
    },

    /** Whether some FI request is still waiting for the AA's answer (its sessionId not stored yet). */
    async anyRequestAwaitingSession(): Promise<boolean> {
      const rows = await db.query("select 1 from aa_fi_requests where aa_session_id is null and status = 'REQUESTED' limit 1");
      return rows.length > 0;
    },

    /** FI requests whose data goes to this session, newest first. */
    async fiRequestsOfSession(sessionId: string): Promise<AaFiRequest[]> {
      const rows = await db.query<FiRequestRow>('select * from aa_fi_requests where session_id = $1 order by created_at desc, fi_request_id', [sessionId]);
      return rows.map(toFiRequest);
    },

    /** FI requests on a consent made at or after `since` (to keep within the consent's frequency). */
    async fiRequestCountSince(consentRequestId: string, since: Date): Promise<number> {
      const rows = await db.query<{ n: number }>('select count(*)::int as n from aa_fi_requests where consent_request_id = $1 and created_at >= $2', [consentRequestId, since]);
      return rows[0]?.n ?? 0;
    },

    async keyMaterialOf(fiRequestId: string): Promise<Buffer | null> {
      const rows = await db.query<{ key_material: Uint8Array | null }>('select key_material from aa_fi_requests where fi_request_id = $1', [fiRequestId]);
      const k = rows[0]?.key_material;
      return k ? Buffer.from(k) : null;
    },

    async updateFiRequest(fiRequestId: string, change: { status?: AaFiStatus; accounts?: AaFiAccountStatus[]; errorCode?: string | null; clearKey?: boolean }, now: Date): Promise<void> {
      await db.query(
        `update aa_fi_requests set status = coalesce($2, status), accounts = coalesce($3::jsonb, accounts),
           error_code = case when $4::boolean then $5 else error_code end,
           key_material = case when $6::boolean then null else key_material end, updated_at = $7
         where fi_request_id = $1`,
        [fiRequestId, change.status ?? null, change.accounts ? JSON.stringify(change.accounts) : null, change.errorCode !== undefined, change.errorCode ?? null, change.clearKey === true, now],
      );
    },
  };
}
