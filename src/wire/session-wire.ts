/**
 * BankConnect wire shapes of a session's accounts and statements, shared by the data APIs and
 * the webhook payloads (which must say the same thing as session_upload_status and
 * session_status).
 */
import type { BankCatalogue } from '../banks/bank-catalogue.ts';
import type { AccountSummary, StatementSummary } from '../domain/account.ts';
import type { Session } from '../domain/session.ts';
import { formatDayMonthYear, type CalendarDate } from '../lib/calendar-date.ts';
import { maskAccountNumber } from './statement-wire.ts';
import { dateTime, dateTimeMicro } from './wire-formats.ts';

const ddmmyyyy = (d: CalendarDate | null) => d && formatDayMonthYear(d);

export function renderStatement(s: StatementSummary): Record<string, unknown> {
  return {
    statement_id: s.statementId,
    statement_status: 'completed',
    error_code: null,
    error_message: null,
    source: 'pdf',
    upload_file_name: s.uploadFileName,
    statement_date_range: { from_date: ddmmyyyy(s.fromDate), to_date: ddmmyyyy(s.toDate) },
    created_at: dateTimeMicro(s.createdAt),
  };
}

export function renderUploadAccount(banks: BankCatalogue, a: AccountSummary): Record<string, unknown> {
  return {
    account_id: a.accountId,
    account_number: a.accountNumber,
    bank_name: a.bankName,
    created_at: dateTime(a.createdAt),
    last_updated_at: dateTime(a.updatedAt),
    statements: a.statements.map(renderStatement),
    account_status: a.complete ? 'COMPLETED' : 'PARTIAL',
    months: a.months,
    missing_data: a.missing.map((g) => ({ from_date: g.from, to_date: g.to })),
    name: a.identity.name ?? '',
    account_type: a.identity.accountType ?? '',
    full_bank_name: banks.find(a.bankName)?.full_name ?? a.bankName,
  };
}

export function renderStatusAccount(banks: BankCatalogue, a: AccountSummary): Record<string, unknown> {
  return {
    name: a.identity.name,
    account_category: a.identity.accountCategory,
    account_id: a.accountId,
    account_number: maskAccountNumber(a.accountNumber),
    bank_name: a.bankName,
    error_code: a.errorCode,
    error_message: a.errorMessage,
    account_status: a.processingStatus ?? 'processing',
    created_at: dateTime(a.createdAt),
    last_updated_at: dateTime(a.updatedAt),
    statements: a.statements.map(renderStatement),
    attempt_types: ['PDF'],
    account_type: a.identity.accountType,
    full_bank_name: banks.find(a.bankName)?.full_name ?? a.bankName,
  };
}

/** `details/`: the stored session, normalised. */
export function renderSessionDetails(s: Session): Record<string, unknown> {
  return {
    session_id: s.sessionId,
    link_id: s.linkId,
    status: s.status,
    created_at: s.createdAt.toISOString(),
    expires_at: s.expiresAt.toISOString(),
    from_date: formatDayMonthYear(s.fromDate),
    to_date: formatDayMonthYear(s.toDate),
    months: s.months,
    max_from_date: s.maxFromDate && formatDayMonthYear(s.maxFromDate),
    max_to_date: s.maxToDate && formatDayMonthYear(s.maxToDate),
    bank_name: s.bankName,
    mode: s.mode,
    journey_mode: s.journeyMode,
    redirect_url: s.redirectUrl,
    logo_url: s.logoUrl,
    mobile_number: s.mobileNumber,
    is_mobile_field_editable: s.isMobileFieldEditable,
    accept_anything: s.acceptAnything,
    aa: s.aa && {
      journey_mode: s.aa.journeyMode,
      recurring_tenure_month: s.aa.recurringTenureMonth,
      recurring_frequency_unit: s.aa.recurringFrequencyUnit,
      recurring_frequency_value: s.aa.recurringFrequencyValue,
    },
    metadata: s.metadata,
  };
}
