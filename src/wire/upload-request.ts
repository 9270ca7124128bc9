/** Wire schema of `POST /bank-connect/v1/statement/upload_session/` (besides the file part). */
import type { Fields } from './fields.ts';

export const uploadFields = {
  session_id: { type: 'string', required: true, maxLength: 64, description: 'The session to upload into.' },
  upload_type: { type: 'choice', choices: ['PDF', 'BASE64'], required: true, description: 'PDF: `file` is a file part. BASE64: `file` is the file as Base64 text.' },
  file_url: { type: 'url', maxLength: 2048, tooLong: 'INVALID_LENGTH', description: 'Instead of `file`: an http(s) URL Passbook downloads the PDF from.' },
  bank_name: { type: 'string', maxLength: 50, description: 'Bank identifier; omit for a bankless upload (the bank is detected).' },
} as const satisfies Fields;
