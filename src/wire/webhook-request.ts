/** `update_webhook`'s body. */
import { fieldError } from '../errors/codes.ts';
import type { Fields } from './fields.ts';

export const WEBHOOK_MODES = [0, 1, 2, 3] as const;

export const updateWebhookFields = {
  webhook_url: {
    type: 'string',
    required: true,
    maxLength: 2048,
    description: 'Where every event of this client goes: https, and not a loopback, private or link-local address (unless the operator allows it).',
  },
  webhook_mode: {
    type: 'integer',
    minimum: 0,
    maximum: 3,
    description: 'BankConnect webhook_mode, stored and echoed; every event is sent whatever its value. Default 1.',
  },
  // Some integrations send it; a webhook belongs to the client, not a session.
  session_id: { type: 'string', maxLength: 64, description: 'Ignored: the webhook is per client.' },
} as const satisfies Fields;

export function webhookMode(value: number | undefined): number {
  if (value === undefined) return 1;
  if (!(WEBHOOK_MODES as readonly number[]).includes(value)) throw fieldError('webhook_mode', `"${value}" is not a valid choice.`);
  return value;
}
