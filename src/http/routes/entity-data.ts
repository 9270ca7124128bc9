/**
 * The entity flow's data endpoints (`entity/<entity_id>/…`), its PDF links, and its webhook
 * configuration and payload replay. API key and server hash, as the session flow's data APIs.
 * Each data endpoint answers at any time with `progress` (a statement is processing until the
 * job that starts after its upload has run), `fraud`, `accounts` and its own part; the
 * optional `?account_id=` narrows the accounts.
 */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { entityWebhookPayloads, findEntity, readEntityData } from '../../usecases/entity.ts';
import { updateWebhook } from '../../usecases/manage-webhooks.ts';
import { statementLinks } from '../../usecases/read-session-data.ts';
import {
  ENTITY_TOPICS,
  EntityPdfLinks,
  EntityTopicResponse,
  EntityWebhookPayloads,
  entityErrorWire,
  renderEntityPdfLinks,
  renderEntityTopic,
  renderEntityWebhookPayloads,
  webhookPayloadsQuery,
  type EntityTopic,
} from '../../wire/entity-wire.ts';
import { validateFields } from '../../wire/fields.ts';
import { renderWebhookUpdated, WebhookUpdated } from '../../wire/webhook-wire.ts';
import { updateWebhookFields, webhookMode } from '../../wire/webhook-request.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';
import { ENTITY_BASE } from './entity.ts';

const SUMMARIES: Record<EntityTopic, string> = {
  accounts: "The entity's accounts",
  identity: "The accounts' holders as read from the statements",
  transactions: 'Every enriched transaction',
  salary: 'Salary credits, with their month',
  recurring_transactions: 'Recurring credit and debit sets',
  lender_transactions: 'EMIs and loan disbursals',
  get_expense_categories: "Debits by category, in whole percentages of the entity's debits (all its accounts together)",
  top_credits_debits: 'The five largest credits and debits of each month',
  monthly_analysis_updated: 'Monthly analysis: every metric per month, per account',
  xlsx_report: "Signed one-hour links to each account's Excel report (empty while any statement is processing)",
  predictors: "Predictors per account: the six latest months (the entity flow's set; session_data's predictors cover twelve)",
  score: 'Score per account (Passbook computes none: null; empty while processing)',
};

/** The documented paths, and the Postman collection's name for monthly analysis. */
const PATHS: [string, EntityTopic][] = [
  ...(Object.keys(ENTITY_TOPICS) as EntityTopic[]).map((t) => [t, t] as [string, EntityTopic]),
  ['monthly_analysis', 'monthly_analysis_updated'],
];

export function entityDataRoutes(router: Router, deps: Deps): void {
  const auth = 'api-key-and-server-hash' as const;
  const params = Type.Object({ entity_id: Type.String() });

  for (const [path, topic] of PATHS) {
    router.route({
      method: 'GET',
      url: `${ENTITY_BASE}/:entity_id/${path}/`,
      auth,
      startsWork: false,
      summary: SUMMARIES[topic],
      params,
      querystring: Type.Object({ account_id: Type.Optional(Type.String({ description: 'Only this account.' })) }),
      responses: { 200: { description: SUMMARIES[topic], json: EntityTopicResponse(topic) } },
      errors: ['SESSION_NOT_FOUND'],
      errorWire: entityErrorWire,
      async handler({ client, path: p, request }) {
        const given = (request.query as Record<string, unknown>).account_id;
        const accountId = typeof given === 'string' && given !== '' ? given : null;
        const data = await readEntityData(deps, client, p.entity_id, accountId);
        // The topic's schema is the declared response; the renderer builds it per topic.
        return { body: renderEntityTopic(topic, data) as never };
      },
    });
  }

  router.route({
    method: 'GET',
    url: `${ENTITY_BASE}/:entity_id/get_pdfs/`,
    auth,
    startsWork: false,
    summary: 'Signed one-hour download links for the uploaded PDFs',
    params,
    responses: { 200: { description: 'Download links', json: EntityPdfLinks } },
    errors: ['SESSION_NOT_FOUND'],
    errorWire: entityErrorWire,
    async handler({ client, path }) {
      const entity = await findEntity(deps, client, path.entity_id);
      return { body: renderEntityPdfLinks(await statementLinks(deps, client, entity.entityId)) };
    },
  });

  router.route({
    method: 'POST',
    url: `${ENTITY_BASE}/update_webhook/`,
    auth,
    startsWork: true,
    body: { maxParameters: 3 },
    summary: "Set the client's webhook URL (the same setting as session_data/update_webhook/); webhook_mode defaults to 0",
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: updateWebhookFields },
    responses: { 200: { description: 'Saved', json: WebhookUpdated } },
    errors: ['INVALID_REQUEST', 'INVALID_URL'],
    errorWire: entityErrorWire,
    async handler({ client, params }) {
      const v = validateFields(updateWebhookFields, params);
      // The entity flow's default mode is 0, and an update without it resets it to 0 (BC:webhook).
      const { newSecret } = await updateWebhook(deps, client, { url: v.webhook_url, mode: webhookMode(v.webhook_mode ?? 0) });
      return { body: renderWebhookUpdated(newSecret) };
    },
  });

  router.route({
    method: 'GET',
    url: `${ENTITY_BASE}/webhook_payloads/`,
    auth,
    startsWork: false,
    summary: "The entity flow's webhook payloads of a link_id's processed statements, newest first",
    querystring: Type.Object({ link_id: Type.String() }),
    responses: { 200: { description: 'Payloads', json: EntityWebhookPayloads } },
    errors: ['INVALID_REQUEST'],
    errorWire: entityErrorWire,
    async handler({ client, request }) {
      const v = validateFields(webhookPayloadsQuery, request.query as Record<string, unknown>);
      return { body: renderEntityWebhookPayloads(await entityWebhookPayloads(deps, client, v.link_id)) };
    },
  });
}
