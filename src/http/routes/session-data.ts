/** `GET /bank-connect/v1/session_data/<session_id>/details/`: a session as stored. */
import type { Deps } from '../../core/deps.ts';
import { getSession } from '../../core/get-session.ts';
import type { Session } from '../../domain/session.ts';
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import type { Router } from '../route.ts';

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

export function sessionDataRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/bank-connect/v1/session_data/:session_id/details/',
    auth: 'api-key-and-server-hash',
    async handler({ path, client }) {
      return { body: renderSessionDetails(await getSession(deps, client, path.session_id!)) };
    },
  });
}
