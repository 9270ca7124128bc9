/** Wire schemas of `POST /bank-connect/v1/session/` and `/v2/session/` (BankConnect Session API V1, V2). */
import { MODES } from '../domain/client.ts';
import { AA_FREQUENCY_UNITS, AA_JOURNEY_CODE_NAMES, AA_JOURNEY_CODES, AA_JOURNEY_MODES, JOURNEY_MODES, METADATA_LISTS } from '../domain/session.ts';
import type { Fields } from './fields.ts';

/** Bodies with more distinct parameters than this are refused with INVALID_PARAMETER_COUNT. */
export const MAX_SESSION_PARAMETERS = 40;

export const createSessionFields = {
  link_id: { type: 'string', required: true, maxLength: 500, description: "Your identifier for the end user." },
  api_key: { type: 'string', description: 'API key; may instead be sent in the `x-api-key` header.' },
  redirect_url: {
    type: 'url',
    maxLength: 200,
    tooLong: 'INVALID_REQUEST',
    description: 'Where the journey sends the user at the end (redirect workflow). http(s) only; must be on an allowed host when the client restricts them.',
  },
  from_date: { type: 'text', code: 'INVALID_DATE_FORMAT', example: '01/05/2026', description: 'Start of the statement period, DD/MM/YYYY. Default: six months before to_date. AA sessions: clamped to at most 14 months before to_date.' },
  to_date: { type: 'text', code: 'INVALID_DATE_FORMAT', example: '01/11/2026', description: 'End of the statement period, DD/MM/YYYY. Default: today (Asia/Kolkata unless TIME_ZONE says otherwise).' },
  max_from_date: { type: 'text', code: 'INVALID_DATE_FORMAT', example: '01/01/2026', description: 'Earliest date the user may pick in the journey, DD/MM/YYYY; needs max_to_date.' },
  max_to_date: { type: 'text', code: 'INVALID_DATE_FORMAT', example: '21/11/2026', description: 'Latest date the user may pick in the journey, DD/MM/YYYY; needs max_from_date.' },
  logo_url: { type: 'url', maxLength: 2048, tooLong: 'INVALID_LENGTH', description: 'Logo shown in the journey. http(s) only.' },
  bank_name: { type: 'string', maxLength: 50, description: 'Bank identifier (see the bank catalogue), any case. Skips bank selection.' },
  mode: { type: 'choice', choices: MODES, description: 'How the statements are fetched: pdf, aa (Account Aggregator) or online (net banking). Needs bank_name.' },
  mobile_number: { type: 'text', code: 'INVALID_MOBILE_NUMBER', example: '9876543210', description: 'Indian mobile number to prefill in the AA journey; 10 digits starting 6-9, optionally prefixed +91, 91 or 0.' },
  session_expiry: { type: 'text', code: 'INVALID_SESSION_EXPIRY', example: '60', description: 'Minutes until the session expires, 5 to 43200.' },
  journey_mode: { type: 'choice', choices: JOURNEY_MODES, maxLength: 50, description: 'multi_pdf (several files) or multi_banking (several banks).' },
  accept_anything: { type: 'boolean', default: false, description: 'Accept statements without the strict coverage checks.' },
  is_mobile_field_editable: { type: 'boolean', default: false, description: 'Let the user edit the prefilled mobile number.' },
  aa_journey_mode: { type: 'choice', choices: AA_JOURNEY_MODES, description: 'AA consent kind; needs mode=aa and bank_name.' },
  aa_recurring_tenure_month: { type: 'integer', minimum: 1, maximum: 84, description: 'Recurring-consent tenure in months, 1 to 84; values over 60 are stored as 60.' },
  aa_recurring_tenure_month_count: { type: 'integer', minimum: 1, maximum: 84, description: 'Same as aa_recurring_tenure_month (the name the SDKs use).' },
  aa_recurring_frequency_unit: { type: 'choice', choices: AA_FREQUENCY_UNITS, description: 'Recurring-consent frequency unit; required for recurring journeys.' },
  aa_recurring_frequency_value: { type: 'integer', minimum: 1, maximum: 5, description: 'Fetches per frequency unit, 1 to 5; required for recurring journeys.' },
  metadata: {
    type: 'stringLists',
    keys: METADATA_LISTS,
    maxItems: 50,
    maxItemLength: 200,
    description: 'Hints for name matching, salary and self-transfer detection: {"names": [], "employer_names": [], "companies_for_self_transfer": []}.',
  },
} as const satisfies Fields;

/** The v1 AA parameters that v2 replaces with `aa_journey_code` and `consents`. */
const V1_AA_FIELDS = [
  'aa_journey_mode', 'aa_recurring_tenure_month', 'aa_recurring_tenure_month_count', 'aa_recurring_frequency_unit', 'aa_recurring_frequency_value',
] as const;
type V1OnlyField = (typeof V1_AA_FIELDS)[number] | 'metadata';

function sharedWithV2(fields: typeof createSessionFields): Omit<typeof createSessionFields, V1OnlyField> {
  const omitted = new Set<string>([...V1_AA_FIELDS, 'metadata']);
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !omitted.has(name))) as Omit<typeof createSessionFields, V1OnlyField>;
}

export const CONSENT_PROPERTIES = ['from_date', 'to_date', 'consent_expiry'] as const;
const CONSENT_CODES = [...new Set(Object.values(AA_JOURNEY_CODES).flatMap((j) => Object.keys(j.consents)))];

/**
 * `POST /bank-connect/v2/session/`: v1's fields in v1's order (so the first broken rule is the
 * same), `bank` beside `bank_name`, and the v2 AA fields where v1 has its own; metadata last.
 */
export const createSessionV2Fields = {
  ...sharedWithV2(createSessionFields),
  bank: { type: 'string', maxLength: 50, description: 'Same as bank_name (the name the V2 examples use). Sending both with different banks is refused.' },
  aa_journey_code: {
    type: 'choice',
    choices: AA_JOURNEY_CODE_NAMES,
    description:
      'AA journey: BCAA001 one-time (default), BCAA002 periodic, BCAA003 one-time + periodic, BCAA004 one-time + periodic + collections (the collections consent is stored, not fetched). Any case.',
  },
  consents: {
    type: 'objectMap',
    keys: CONSENT_CODES,
    properties: CONSENT_PROPERTIES,
    example: { CC0001: { from_date: '01/10/2025', to_date: '09/12/2025' } },
    description:
      "Overrides of the journey's generated consents, keyed by a consent code of aa_journey_code (BCAA001: CC0001; BCAA002: CC0002; BCAA003: CC0003, CC0004; BCAA004: CC0005, CC0006, CC0007); each with any of from_date, to_date, consent_expiry (DD/MM/YYYY). In form bodies, send it as a JSON string.",
  },
  metadata: createSessionFields.metadata,
} as const satisfies Fields;
