/** Wire schema of `POST /bank-connect/v1/session/` (BankConnect Session API V1). */
import { MODES } from '../domain/client.ts';
import { AA_FREQUENCY_UNITS, AA_JOURNEY_MODES, JOURNEY_MODES, METADATA_LISTS } from '../domain/session.ts';
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
