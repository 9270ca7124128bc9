/** `POST /bank-connect/v1/statement/upload_session/`: a lender's backend uploads a statement. */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { uploadStatement, type UploadResult } from '../../usecases/upload-statement.ts';
import { AppError } from '../../errors/codes.ts';
import { toRupeesOrNull } from '../../domain/money.ts';
import { nameMatches } from '../../domain/name-match.ts';
import type { Router } from '../route.ts';
import { validateFields } from '../../wire/fields.ts';
import { checksJson } from '../../wire/statement-checks.ts';
import { maskAccountNumber, UploadResponse } from '../../wire/statement-wire.ts';
import { uploadFields } from '../../wire/upload-request.ts';
import { readUploadBody } from '../upload-body.ts';


export function renderUpload(r: UploadResult, withIdentity: boolean): UploadResponse {
  const { parsed } = r;
  const id = parsed.identity;
  const first = parsed.transactions[0]?.date ?? null;
  const last = parsed.transactions.at(-1)?.date ?? null;
  return {
    bank_name: r.bankName,
    statement_id: r.statementId,
    page_count: parsed.pageCount,
    ...(withIdentity
      ? {
          identity: {
            account_number: id.accountNumber,
            name: id.name,
            address: id.address,
            ifsc: id.ifsc,
            micr: id.micr,
            account_category: id.accountCategory,
            account_type: id.accountType,
            credit_limit: toRupeesOrNull(id.creditLimitPaise) ?? 0,
            od_limit: toRupeesOrNull(id.odLimitPaise) ?? 0,
            account_id: r.accountId,
            bank_name: r.bankName,
          },
        }
      : {}),
    date_range: { from_date: parsed.period?.from ?? first, to_date: parsed.period?.to ?? last },
    opening_date: null,
    opening_bal: toRupeesOrNull(parsed.openingBalancePaise),
    closing_bal: toRupeesOrNull(parsed.closingBalancePaise),
    // What the upload's check of the file and its rows found (src/fraud/); the data APIs' `fraud`
    // blocks carry every finding with its reason and evidence.
    is_fraud: (parsed.fraudFindings ?? []).length > 0,
    fraud_type: parsed.fraudFindings?.[0]?.fraudType ?? null,
    metadata_analysis: { name_matches: nameMatches(r.session.metadata?.names ?? [], id.name) },
    country_code: 'IN',
    currency_code: 'INR',
    extracted_date_range: { from_date: first, to_date: last },
    account_id: r.accountId,
    masked_account_number: maskAccountNumber(id.accountNumber),
    months: r.months,
    missing_months: r.missingMonths,
    transaction_count: parsed.transactions.length,
    checks: checksJson(parsed.reconciliation),
    status: 1,
    session_id: r.session.sessionId,
  };
}

export function statementUploadRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'POST',
    url: '/bank-connect/v1/statement/upload_session/',
    auth: 'upload-api-key',
    startsWork: true,
    // Base64 bodies are a third larger than the file; multipart files are capped per part.
    bodyLimit: Math.ceil(deps.limits.maxBytes * 1.4) + 64 * 1024,
    summary: 'Upload a statement into a session (parsed at once)',
    description: 'Refusals carry session_id and statement_id beside the error.',
    querystring: Type.Object({ identity: Type.Optional(Type.String({ enum: ['true', 'false'], description: 'true: include the account identity.' })) }),
    requestBody: {
      consumes: ['multipart/form-data', 'application/x-www-form-urlencoded'],
      fields: uploadFields,
      extra: {
        file: Type.String({ format: 'binary', description: 'The statement PDF (or its Base64 text when upload_type=BASE64).' }),
        pdf_password: Type.String({ description: 'Password of a protected PDF; never stored or logged.' }),
      },
    },
    responses: { 200: { description: 'Parsed and stored: bank, statement and account ids, identity, date range, balances, months, missing months, checks', json: UploadResponse } },
    errors: [
      'INVALID_LENGTH', 'SESSION_NOT_FOUND', 'SESSION_DELETED', 'SESSION_EXPIRED', 'MISSING_FILE_OBJECT', 'INVALID_FILE_OBJECT', 'EMPTY_FILE',
      'INVALID_FILE_URL', 'INVALID_BASE_64', 'INVALID_BANK_NAME', 'PASSWORD_INCORRECT', 'PDF_IS_IMAGE', 'STATEMENT_UNSUPPORTED_FORMAT',
      'STATEMENT_DUPLICATE', 'STATEMENT_TOO_MANY_PAGES', 'OUT_OF_DATE_RANGE', 'BANK_NAME_UNDETECTED', 'BANK_NAME_MISMATCH',
    ],
    async handler({ request, client }) {
      let sessionId = '';
      try {
        const body = await readUploadBody(request, deps.limits.maxBytes);
        sessionId = typeof body.fields.session_id === 'string' ? body.fields.session_id : '';
        const v = validateFields(uploadFields, body.fields);
        const query = request.query as Record<string, string | undefined>;
        const result = await uploadStatement(deps, client, {
          sessionId: v.session_id,
          uploadType: v.upload_type,
          file: v.upload_type === 'PDF' ? body.file : null,
          fileBase64: v.upload_type === 'BASE64' && typeof body.fields.file === 'string' && body.fields.file !== '' ? body.fields.file : null,
          fileUrl: v.file_url?.toString() ?? null,
          bankName: v.bank_name ?? null,
          // Passwords are taken as sent: spaces may be part of them.
          pdfPassword: body.fields.pdf_password || null,
        });
        return { body: renderUpload(result, query.identity === 'true') };
      } catch (error) {
        if (error instanceof AppError) throw new AppError(error.code, error.message, { session_id: sessionId, statement_id: '' });
        throw error;
      }
    },
  });
}
