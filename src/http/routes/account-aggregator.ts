/**
 * Account Aggregator routes (docs/aa.md): the FIU's notification endpoints the AA calls (ReBIT's
 * shape, signed answers), the journey's consent and waiting-screen calls, and the lender's
 * recurring-consent APIs (BankConnect's shape). Registered only when AA mode is configured.
 */
import { Type } from 'typebox';
import { aaJourneyStatus, startAaConsent } from '../../usecases/aa-consent.ts';
import type { AaDeps } from '../../usecases/aa-deps.ts';
import { receiveConsentNotification, receiveFiNotification, type NotificationAnswer } from '../../usecases/aa-notifications.ts';
import { fetchRecurringData, recurringConsentDetails } from '../../usecases/aa-recurring.ts';
import type { Deps } from '../../usecases/deps.ts';
import type { Fields } from '../../wire/fields.ts';
import { validateFields } from '../../wire/fields.ts';
import { Nullable, OneOf, Url, Uuid } from '../../wire/wire-formats.ts';
import { PARAMETER_MEDIA_TYPES, rawBodyOf } from '../request-params.ts';
import type { Reply, Router } from '../route.ts';

const REBIT_JSON = 'application/json';

function signedReply(answer: NotificationAnswer): Reply<Buffer> {
  return { status: answer.status, body: Buffer.from(answer.text, 'utf8'), contentType: REBIT_JSON, headers: { 'x-jws-signature': answer.signature } };
}

const NOTIFICATION_RESPONSES = {
  200: { description: 'Accepted: `{ver, timestamp, txnid, response: "OK"}`, signed in x-jws-signature', contentType: REBIT_JSON },
  400: { description: 'Refused in ReBIT\'s error shape `{ver, timestamp, txnid, errorCode, errorMsg}` (InvalidRequest, InvalidNotifier, InvalidConsentId, InvalidConsentStatus, InvalidSessionId, SignatureDoesNotMatch), signed', contentType: REBIT_JSON },
  401: { description: 'Unauthorized: the aa_api_key header is missing or wrong (ReBIT error shape, signed)', contentType: REBIT_JSON },
  404: { description: 'NoSuchVersion: ver is not 2.0.0 (ReBIT error shape, signed)', contentType: REBIT_JSON },
} as const;

const AaJourneyStatusBody = Type.Object({
  state: OneOf(['none', 'pending', 'fetching', 'done', 'failed']),
  consent_status: Nullable(Type.String()),
  fi_status: Nullable(Type.String()),
  reason: Nullable(Type.String({ description: 'Why it failed: CONSENT_REJECTED, CONSENT_REVOKED, NO_TRANSACTIONS_FROM_AA, AA_FI_TIMEOUT, …' })),
});

const ConsentStarted = Type.Object({
  consent_handle: Type.String(),
  // Where to send the user to approve; null when they approve in their AA app.
  consent_url: Nullable(Url),
});

const consentFields = {
  mobile_number: { type: 'string', maxLength: 20, description: "The user's mobile number, when the session lets them give or change it." },
} as const satisfies Fields;

const recurringFetchFields = {
  consent_id: { type: 'string', required: true, maxLength: 100, description: 'A consent_id from get_recurring_consent_details.' },
  date_time_range_from: { type: 'string', required: true, maxLength: 10, description: 'First day to fetch, DD/MM/YYYY.' },
  date_time_range_to: { type: 'string', required: true, maxLength: 10, description: 'Last day to fetch, DD/MM/YYYY.' },
} as const satisfies Fields;

const ConsentDetails = Type.Object({
  consent_details: Type.Array(
    Type.Object({
      consent_id: Type.String(),
      bank_name: Nullable(Type.String()),
      masked_account_number: Nullable(Type.String()),
      tenure_month_count: Nullable(Type.Integer()),
      frequency_unit: Nullable(Type.String()),
      frequency_value: Nullable(Type.Integer()),
    }),
  ),
});

export function accountAggregatorRoutes(router: Router, deps: Deps & { aa: AaDeps }): void {
  for (const [url, receive, summary] of [
    ['/aa/Consent/Notification', receiveConsentNotification, 'The AA tells Passbook (the FIU) of a consent status change'],
    ['/aa/FI/Notification', receiveFiNotification, 'The AA tells Passbook (the FIU) of FI data readiness'],
  ] as const) {
    router.route({
      method: 'POST',
      url,
      auth: 'none',
      rawInvalidJson: true,
      summary,
      description: 'ReBIT NBFC-AA API 2.0.0 (FIU). The body is verified against its x-jws-signature header with the AA\'s key; aa_api_key must be the configured AA_NOTIFICATION_API_KEY.',
      responses: NOTIFICATION_RESPONSES,
      async handler({ request }) {
        // Not JSON at all (another media type, or none): still the AA's shape, as a syntax error.
        const raw = rawBodyOf(request) ?? Buffer.alloc(0);
        return signedReply(await receive(deps, raw, request.headers));
      },
    });
  }

  const journey = '/journey/api/sessions/:session_id/aa';
  const params = Type.Object({ session_id: Type.String() });
  router.route({
    method: 'POST',
    url: `${journey}/consent`,
    auth: 'none',
    body: { maxParameters: 1 },
    summary: 'The user shares through their Account Aggregator: raise the consent request',
    params,
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: consentFields },
    responses: { 200: { description: 'Consent requested', json: ConsentStarted } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'SESSION_EXPIRED', 'MODE_NOT_ENABLED', 'INVALID_MOBILE_NUMBER', 'AA_UNAVAILABLE'],
    async handler({ path, params: body }) {
      const input = validateFields(consentFields, body);
      const started = await startAaConsent(deps, path.session_id, { mobileNumber: input.mobile_number ?? null });
      return { body: { consent_handle: started.consentHandle, consent_url: started.consentUrl } };
    },
  });

  router.route({
    method: 'GET',
    url: journey,
    auth: 'none',
    summary: "Where the session's Account Aggregator journey stands (the waiting screen polls it)",
    params,
    responses: { 200: { description: 'The AA journey state', json: AaJourneyStatusBody } },
    errors: ['SESSION_NOT_FOUND'],
    async handler({ path }) {
      const s = await aaJourneyStatus(deps, path.session_id);
      return { headers: { 'cache-control': 'no-store' }, body: { state: s.state, consent_status: s.consentStatus, fi_status: s.fiStatus, reason: s.reason } };
    },
  });

  const recurring = '/bank-connect/v1/account_aggregator';
  router.route({
    method: 'POST',
    url: `${recurring}/get_recurring_consent_details/`,
    auth: 'api-key-and-server-hash',
    startsWork: false,
    summary: "A session's recurring (PERIODIC) consents, one entry per account",
    description: 'The session id comes as the session_id query parameter (a trailing "/" after its value, as in BankConnect\'s documentation, is accepted).',
    querystring: Type.Object({ session_id: Type.Optional(Type.String()) }),
    responses: { 200: { description: 'The consents', json: ConsentDetails } },
    errors: ['INVALID_SESSION_ID'],
    async handler({ request, client }) {
      const sessionId = String((request.query as { session_id?: string }).session_id ?? '').replace(/\/+$/, '');
      const details = await recurringConsentDetails(deps, client, sessionId);
      return {
        body: {
          consent_details: details.map((d) => ({
            consent_id: d.consentId,
            bank_name: d.bankName,
            masked_account_number: d.maskedAccountNumber,
            tenure_month_count: d.tenureMonthCount,
            frequency_unit: d.frequencyUnit,
            frequency_value: d.frequencyValue,
          })),
        },
      };
    },
  });

  router.route({
    method: 'POST',
    url: `${recurring}/fetch_recurring_aa_data/`,
    auth: 'api-key-and-server-hash',
    startsWork: true,
    body: { maxParameters: 3 },
    summary: "Fetch a period's data on a recurring consent, into a new session",
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: recurringFetchFields },
    responses: { 200: { description: 'The new session, filled and processed as the data arrives', json: Type.Object({ session_id: Uuid }) } },
    errors: ['INVALID_CONSENT_ID', 'CONSENT_REVOKED', 'CONSENT_OVERUSED', 'INVALID_DATE_RANGE', 'MODE_NOT_ENABLED', 'AA_UNAVAILABLE'],
    async handler({ params: body, client }) {
      const input = validateFields(recurringFetchFields, body);
      const { sessionId } = await fetchRecurringData(deps, client, { consentId: input.consent_id, from: input.date_time_range_from, to: input.date_time_range_to });
      return { body: { session_id: sessionId } };
    },
  });
}
