/**
 * The outbox without the HTTP API: lenders with a webhook URL, events recorded as a state
 * change records them, and a dispatcher of the test's own, with the settings and clock it needs.
 */
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { loadBankCatalogue } from '../../src/banks/bank-catalogue.ts';
import type { WebhookSettings } from '../../src/config.ts';
import type { Db } from '../../src/ports/db.ts';
import { sessionsRepository } from '../../src/store/repositories/sessions-repository.ts';
import { webhooksRepository } from '../../src/store/repositories/webhooks-repository.ts';
import { buildSession } from '../../src/usecases/create-session.ts';
import { createClient } from '../../src/usecases/manage-clients.ts';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.ts';
import { newWebhookSecret } from '../../src/webhooks/webhook-signing.ts';
import { TEST_WEBHOOK_SETTINGS } from '../helper.ts';

const sessionDeps = {
  banks: loadBankCatalogue(),
  config: { publicUrl: 'http://x', defaultSessionExpiryMinutes: 60, timeZone: 'Asia/Kolkata' },
  now: () => new Date(),
};

export interface Lender {
  clientId: string;
  /** A new session with one pending event; its ids. */
  event(): Promise<{ sessionId: string; eventId: string }>;
}

export async function lender(db: Db, name: string, url: string): Promise<Lender> {
  const { client } = await createClient({ db }, { name });
  await webhooksRepository(db).setWebhook(client.clientId, url, 1, newWebhookSecret());
  return {
    clientId: client.clientId,
    async event() {
      const session = buildSession(sessionDeps, client, { link_id: 'u', accept_anything: true, is_mobile_field_editable: false });
      await sessionsRepository(db).insert(session);
      const eventId = randomUUID();
      const body = JSON.stringify({ session_id: session.sessionId, event_name: 'SESSION_EXPIRY_NOTIFICATION', event_id: eventId });
      await db.transaction(async (tx) => {
        // As a state change does: the session row first (see webhooksRepository.insert).
        await tx.query('update sessions set status = status where session_id = $1', [session.sessionId]);
        await webhooksRepository(tx).insert({ eventId, clientId: client.clientId, sessionId: session.sessionId, eventName: 'SESSION_EXPIRY_NOTIFICATION', body, createdAt: new Date() });
      });
      return { sessionId: session.sessionId, eventId };
    },
  };
}

/** A started dispatcher, stopped when the test ends; `errors` collects what it reported. */
export function startDispatcher(t: TestContext, db: Db, settings: Partial<WebhookSettings>, now?: () => Date): { dispatcher: WebhookDispatcher; errors: unknown[] } {
  const errors: unknown[] = [];
  const dispatcher = new WebhookDispatcher(db, { ...TEST_WEBHOOK_SETTINGS, ...settings }, { pollMs: 50, onError: (e) => errors.push(e), ...(now ? { now } : {}) });
  dispatcher.start();
  t.after(() => dispatcher.stop());
  return { dispatcher, errors };
}
