/**
 * The Session API's field rules as requests, shared by the v1 tests (session-create.test.ts)
 * and the v2 tests (session-v2.test.ts), which run every case that has no v1-only AA parameter.
 */
export interface Case {
  name: string;
  payload: Record<string, unknown>;
  status: number;
  code: string;
  message?: string;
}

export const long = (n: number) => 'x'.repeat(n);
export const aa = { mode: 'aa', bank_name: 'hdfc' };
export const recurring = { ...aa, aa_journey_mode: 'only_recurring', aa_recurring_frequency_unit: 'month', aa_recurring_frequency_value: 1 };

/** Every field rule of the seed's error tables, as requests with a valid API key. */
export const FIELD_CASES: Case[] = [
  // INVALID_REQUEST with the DRF messages
  { name: 'link_id missing', payload: {}, status: 400, code: 'INVALID_REQUEST', message: 'link_id, This field is required.' },
  { name: 'link_id too long', payload: { link_id: long(501) }, status: 400, code: 'INVALID_REQUEST', message: 'link_id, Ensure this field has no more than 500 characters.' },
  { name: 'link_id blank', payload: { link_id: '  ' }, status: 400, code: 'INVALID_REQUEST', message: 'link_id, This field may not be blank.' },
  { name: 'link_id null', payload: { link_id: null }, status: 400, code: 'INVALID_REQUEST', message: 'link_id, This field may not be null.' },
  { name: 'link_id with a NUL character', payload: { link_id: 'a\u0000b' }, status: 400, code: 'INVALID_REQUEST', message: 'link_id, Null characters are not allowed.' },
  { name: 'metadata name with a NUL character', payload: { metadata: { names: ['a\u0000b'] } }, status: 400, code: 'INVALID_REQUEST', message: 'metadata.names, Null characters are not allowed.' },
  { name: 'mobile with a NUL character', payload: { mobile_number: '98765\u000043210' }, status: 400, code: 'INVALID_REQUEST', message: 'mobile_number, Null characters are not allowed.' },
  { name: 'link_id an object', payload: { link_id: { a: 1 } }, status: 400, code: 'INVALID_REQUEST', message: 'link_id, Not a valid string.' },
  { name: 'redirect_url too long', payload: { redirect_url: `https://example.com/${long(190)}` }, status: 400, code: 'INVALID_REQUEST', message: 'redirect_url, Ensure this field has no more than 200 characters.' },
  { name: 'redirect_url not a URL', payload: { redirect_url: 'not a url' }, status: 400, code: 'INVALID_REQUEST', message: 'redirect_url, Enter a valid URL.' },
  { name: 'logo_url not a URL', payload: { logo_url: 'logo.png' }, status: 400, code: 'INVALID_REQUEST', message: 'logo_url, Enter a valid URL.' },
  { name: 'bank_name too long', payload: { bank_name: long(51) }, status: 400, code: 'INVALID_REQUEST', message: 'bank_name, Ensure this field has no more than 50 characters.' },
  { name: 'mode not a choice', payload: { mode: 'no' }, status: 400, code: 'INVALID_REQUEST', message: 'mode, "no" is not a valid choice.' },
  { name: 'journey_mode too long', payload: { journey_mode: long(51) }, status: 400, code: 'INVALID_REQUEST', message: 'journey_mode, Ensure this field has no more than 50 characters.' },
  { name: 'journey_mode not a choice', payload: { journey_mode: 'single' }, status: 400, code: 'INVALID_REQUEST', message: 'journey_mode, "single" is not a valid choice.' },
  { name: 'aa_journey_mode not a choice', payload: { aa_journey_mode: 'hello' }, status: 400, code: 'INVALID_REQUEST', message: 'aa_journey_mode, "hello" is not a valid choice.' },
  { name: 'tenure count not an integer', payload: { aa_recurring_tenure_month_count: 'abc' }, status: 400, code: 'INVALID_REQUEST', message: 'aa_recurring_tenure_month_count, A valid integer is required.' },
  { name: 'tenure a fraction', payload: { aa_recurring_tenure_month: 1.5 }, status: 400, code: 'INVALID_REQUEST', message: 'aa_recurring_tenure_month, A valid integer is required.' },
  { name: 'frequency unit not a choice', payload: { aa_recurring_frequency_unit: 1 }, status: 400, code: 'INVALID_REQUEST', message: 'aa_recurring_frequency_unit, "1" is not a valid choice.' },
  { name: 'frequency value not an integer', payload: { aa_recurring_frequency_value: 'two' }, status: 400, code: 'INVALID_REQUEST', message: 'aa_recurring_frequency_value, A valid integer is required.' },
  { name: 'is_mobile_field_editable not a boolean', payload: { is_mobile_field_editable: 'maybe' }, status: 400, code: 'INVALID_REQUEST', message: 'is_mobile_field_editable, Must be a valid boolean.' },
  { name: 'accept_anything not a boolean', payload: { accept_anything: 2 }, status: 400, code: 'INVALID_REQUEST', message: 'accept_anything, Must be a valid boolean.' },
  { name: 'metadata not an object', payload: { metadata: [1] }, status: 400, code: 'INVALID_REQUEST' },
  { name: 'metadata unknown key', payload: { metadata: { pan: ['X'] } }, status: 400, code: 'INVALID_REQUEST' },
  { name: 'metadata names not a list', payload: { metadata: { names: 'AYUSH' } }, status: 400, code: 'INVALID_REQUEST' },
  { name: 'metadata names not strings', payload: { metadata: { names: [1] } }, status: 400, code: 'INVALID_REQUEST' },
  // INVALID_LENGTH where the seed gives no DRF message
  { name: 'logo_url too long', payload: { logo_url: `https://example.com/${long(2100)}` }, status: 400, code: 'INVALID_LENGTH', message: 'Field length exceeds limit' },
  { name: 'metadata list too long', payload: { metadata: { names: Array.from({ length: 51 }, () => 'A') } }, status: 400, code: 'INVALID_LENGTH' },
  // Banks and modes
  { name: 'unknown bank', payload: { bank_name: 'nosuchbank' }, status: 400, code: 'INVALID_BANK_NAME', message: 'Invalid bank identifier.' },
  { name: 'mode pdf without bank', payload: { mode: 'pdf' }, status: 400, code: 'MISSING_BANK_NAME', message: '`bank_name` is required with `mode`.' },
  { name: 'mode online without bank', payload: { mode: 'online' }, status: 400, code: 'MISSING_BANK_NAME' },
  { name: 'SBI offers no AA', payload: { mode: 'aa', bank_name: 'sbi' }, status: 400, code: 'MODE_NOT_AVAILABLE', message: 'Specified mode not available for this bank.' },
  { name: 'Canara offers no net banking', payload: { mode: 'online', bank_name: 'canara' }, status: 400, code: 'MODE_NOT_AVAILABLE' },
  // Dates
  { name: 'from_date ISO', payload: { from_date: '2026-01-01', to_date: '01/06/2026' }, status: 400, code: 'INVALID_DATE_FORMAT', message: 'Invalid `from_date` or `to_date` format. Use `DD/MM/YYYY`.' },
  { name: 'to_date not a real day', payload: { from_date: '01/01/2026', to_date: '31/02/2026' }, status: 400, code: 'INVALID_DATE_FORMAT' },
  { name: 'date as a number', payload: { from_date: 1012026, to_date: '01/06/2026' }, status: 400, code: 'INVALID_DATE_FORMAT' },
  { name: 'date as an object', payload: { from_date: { d: 1 }, to_date: '01/06/2026' }, status: 400, code: 'INVALID_DATE_FORMAT' },
  { name: 'only from_date', payload: { from_date: '01/01/2026' }, status: 400, code: 'MISSING_DATE_FIELD', message: '`from_date` and `to_date` are required.' },
  { name: 'only to_date', payload: { to_date: '01/01/2026' }, status: 400, code: 'MISSING_DATE_FIELD' },
  { name: 'from equals to', payload: { from_date: '01/01/2026', to_date: '01/01/2026' }, status: 400, code: 'INVALID_DATE_RANGE', message: '`from_date` cannot be greater or equal to `to_date`.' },
  { name: 'from after to', payload: { from_date: '02/01/2026', to_date: '01/01/2026' }, status: 400, code: 'INVALID_DATE_RANGE' },
  { name: 'max dates bad format', payload: { max_from_date: '1/1/2026', max_to_date: '01/06/2026' }, status: 400, code: 'INVALID_DATE_FORMAT', message: 'Invalid `max_from_date` or `max_to_date` format. Use `DD/MM/YYYY`.' },
  { name: 'only max_to_date', payload: { max_to_date: '01/06/2026' }, status: 400, code: 'MISSING_DATE_FIELD', message: '`max_from_date` and `max_to_date` are required.' },
  { name: 'max range reversed', payload: { max_from_date: '01/07/2026', max_to_date: '01/06/2026' }, status: 400, code: 'INVALID_DATE_RANGE', message: '`max_from_date` cannot be greater or equal to `max_to_date`.' },
  // Mobile number
  { name: 'mobile too short', payload: { mobile_number: '98765' }, status: 400, code: 'INVALID_MOBILE_NUMBER', message: 'Invalid mobile number.' },
  { name: 'mobile starting 5', payload: { mobile_number: '5876543210' }, status: 400, code: 'INVALID_MOBILE_NUMBER' },
  { name: 'mobile 11 digits', payload: { mobile_number: '98765432101' }, status: 400, code: 'INVALID_MOBILE_NUMBER' },
  { name: 'mobile with letters', payload: { mobile_number: '98765abcde' }, status: 400, code: 'INVALID_MOBILE_NUMBER' },
  { name: 'mobile a list', payload: { mobile_number: ['9876543210'] }, status: 400, code: 'INVALID_MOBILE_NUMBER' },
  // Session expiry
  { name: 'expiry 4', payload: { session_expiry: 4 }, status: 400, code: 'INVALID_SESSION_EXPIRY', message: 'Session expiry should be int, Min value is 5 and Max is 43200 in minutes' },
  { name: 'expiry 43201', payload: { session_expiry: '43201' }, status: 400, code: 'INVALID_SESSION_EXPIRY' },
  { name: 'expiry a fraction', payload: { session_expiry: 5.5 }, status: 400, code: 'INVALID_SESSION_EXPIRY' },
  { name: 'expiry text', payload: { session_expiry: 'soon' }, status: 400, code: 'INVALID_SESSION_EXPIRY' },
  { name: 'expiry a boolean', payload: { session_expiry: true }, status: 400, code: 'INVALID_SESSION_EXPIRY' },
  { name: 'expiry negative', payload: { session_expiry: -10 }, status: 400, code: 'INVALID_SESSION_EXPIRY' },
  // Account Aggregator
  { name: 'aa_journey_mode without mode', payload: { aa_journey_mode: 'only_recurring', bank_name: 'hdfc' }, status: 400, code: 'MISSING_AA_PARAMETER', message: '`bank_name` and `mode` required' },
  { name: 'aa_journey_mode with mode pdf', payload: { aa_journey_mode: 'only_once', mode: 'pdf', bank_name: 'hdfc' }, status: 400, code: 'MISSING_AA_PARAMETER', message: '`bank_name` and `mode` required' },
  { name: 'recurring without frequency', payload: { ...aa, aa_journey_mode: 'only_recurring' }, status: 400, code: 'MISSING_AA_PARAMETER', message: 'Frequency unit/value required' },
  { name: 'recurring without frequency value', payload: { ...aa, aa_journey_mode: 'once_with_recurring', aa_recurring_frequency_unit: 'day' }, status: 400, code: 'MISSING_AA_PARAMETER', message: 'Frequency unit/value required' },
  { name: 'recurring parameters on a one-time journey', payload: { ...aa, aa_journey_mode: 'only_once', aa_recurring_frequency_unit: 'day' }, status: 400, code: 'MISSING_AA_PARAMETER' },
  { name: 'recurring parameters on a pdf session', payload: { aa_recurring_tenure_month: 12 }, status: 400, code: 'MISSING_AA_PARAMETER' },
  { name: 'tenure 0', payload: { ...recurring, aa_recurring_tenure_month: 0 }, status: 400, code: 'INVALID_AA_PARAMETER', message: 'Tenure must be between 1 and 84' },
  { name: 'tenure 85', payload: { ...recurring, aa_recurring_tenure_month_count: 85 }, status: 400, code: 'INVALID_AA_PARAMETER', message: 'Tenure must be between 1 and 84' },
  { name: 'frequency value 6', payload: { ...recurring, aa_recurring_frequency_value: 6 }, status: 400, code: 'INVALID_AA_PARAMETER' },
  { name: 'frequency value 0', payload: { ...recurring, aa_recurring_frequency_value: '0' }, status: 400, code: 'INVALID_AA_PARAMETER' },
  { name: 'both tenure names, different values', payload: { ...recurring, aa_recurring_tenure_month: 12, aa_recurring_tenure_month_count: 24 }, status: 400, code: 'INVALID_AA_PARAMETER' },
  // URLs
  { name: 'redirect_url ftp', payload: { redirect_url: 'ftp://lender.example/done' }, status: 400, code: 'INVALID_URL', message: 'Enter a valid URL.' },
  { name: 'logo_url ftp', payload: { logo_url: 'ftp://cdn.example/logo.png' }, status: 400, code: 'INVALID_URL' },
  { name: 'logo_url javascript', payload: { logo_url: 'javascript:alert(1)' }, status: 400, code: 'INVALID_REQUEST', message: 'logo_url, Enter a valid URL.' },
  // Parameter count
  { name: 'too many parameters', payload: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`p${i}`, 'x'])), status: 400, code: 'INVALID_PARAMETER_COUNT', message: 'Invalid number of parameters' },
];
