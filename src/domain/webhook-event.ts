/** A webhook event as the delivery log shows it, with every attempt. */
export type EventStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface AttemptRecord {
  startedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface StoredEvent {
  eventId: string;
  sessionId: string;
  eventName: string;
  body: string;
  createdAt: Date;
  status: EventStatus;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  lastError: string | null;
  log: (AttemptRecord & { attempt: number })[];
}
