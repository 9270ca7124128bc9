/**
 * The console API's reads of a session's analysis and statements, and its webhook log
 * (docs/console.md). The analysis is the insights document the data API gives, so the console
 * shows exactly what a lender's integration reads.
 */
import { Type } from 'typebox';
import { AppError } from '../../errors/codes.ts';
import { replayWebhookAsUser, sendTestWebhookAsUser, statementPdfForConsole } from '../../usecases/console-actions.ts';
import type { Deps } from '../../usecases/deps.ts';
import { listWebhookEvents } from '../../usecases/manage-webhooks.ts';
import { readInsights } from '../../usecases/read-session-data.ts';
import { InsightsResponse, renderInsights } from '../../wire/insights-wire.ts';
import { renderEvents, renderReplayQueued, renderTestDelivery, ReplayQueued, TestDelivery, WebhookEvents } from '../../wire/webhook-wire.ts';
import { Uuid } from '../../wire/wire-formats.ts';
import type { Router } from '../route.ts';

const sessionParams = Type.Object({ session_id: Uuid });

export function consoleDataRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/console/api/sessions/:session_id/insights',
    auth: 'console',
    startsWork: false,
    summary: "A processed session's insights, as the data API's insights/ gives them",
    params: sessionParams,
    responses: { 200: { description: 'Insights', json: InsightsResponse } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED'],
    async handler({ path, client }) {
      return { body: renderInsights(await readInsights(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/sessions/:session_id/statements/:statement_id/pdf',
    auth: 'console',
    startsWork: false,
    summary: 'A statement as uploaded, for the statement viewer',
    params: Type.Object({ session_id: Uuid, statement_id: Uuid }),
    responses: { 200: { description: 'The PDF', contentType: 'application/pdf' } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'NOT_FOUND'],
    async handler({ path, client }) {
      const bytes = await statementPdfForConsole(deps, client, path.session_id, path.statement_id);
      return { body: bytes, contentType: 'application/pdf', headers: { 'cache-control': 'private, no-store', 'content-disposition': `inline; filename="${path.statement_id}.pdf"` } };
    },
  });

  router.route({
    method: 'GET',
    url: '/console/api/sessions/:session_id/webhooks',
    auth: 'console',
    startsWork: false,
    summary: "The session's webhook events, newest first, with every delivery attempt",
    params: sessionParams,
    responses: { 200: { description: 'Events', json: WebhookEvents } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED'],
    async handler({ path, client }) {
      return { body: renderEvents(path.session_id, await listWebhookEvents(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/sessions/:session_id/webhooks/:event_id/replay',
    auth: 'console',
    startsWork: true,
    summary: 'Send an event again (same event_id and body, fresh retry window)',
    params: Type.Object({ session_id: Uuid, event_id: Uuid }),
    responses: { 202: { description: 'Queued', json: ReplayQueued } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'WEBHOOK_EVENT_NOT_FOUND', 'WEBHOOK_NOT_CONFIGURED'],
    async handler({ path, client, signIn }) {
      await replayWebhookAsUser(deps, client, signIn.user, path.session_id, path.event_id);
      return { status: 202, body: renderReplayQueued(path.event_id) };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/webhooks/test',
    auth: 'console',
    startsWork: true,
    summary: 'A signed test delivery to the configured URL, right now',
    responses: { 200: { description: 'Delivered, or what the receiver answered', json: TestDelivery } },
    errors: ['WEBHOOK_NOT_CONFIGURED', 'WEBHOOK_DELIVERY_FAILED'],
    async handler({ client, signIn }) {
      const { eventId, result } = await sendTestWebhookAsUser(deps, client, signIn.user);
      const delivery = renderTestDelivery(eventId, result.statusCode, result.latencyMs);
      if (!result.ok) {
        const { message: _success, ...outcome } = delivery;
        throw new AppError('WEBHOOK_DELIVERY_FAILED', result.error ?? undefined, outcome);
      }
      return { body: delivery };
    },
  });
}
