/** What the use cases are given by the composition root. They know nothing of HTTP. */
import type { BankCatalogue } from '../banks/bank-catalogue.ts';
import type { NarrationRules } from '../enrichment/narration-rules.ts';
import type { Config } from '../config.ts';
import type { Db } from '../ports/db.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { SessionWriter } from '../ports/session-writer.ts';
import type { StatementParser, UploadLimits } from '../ports/statement-parser.ts';
import type { AaDeps } from './aa-deps.ts';
import type { ClientDirectory } from './client-directory.ts';

export interface Deps {
  db: Db;
  banks: BankCatalogue;
  /** The narration rules enrichment runs (bundled, plus the lender's override file). */
  narrationRules: NarrationRules;
  clients: ClientDirectory;
  /** Inserts new sessions (group commit). */
  sessionWriter: SessionWriter;
  config: Pick<Config, 'publicUrl' | 'defaultSessionExpiryMinutes' | 'timeZone'>;
  /** How long console sign-ins last and what a password hash costs. */
  consoleSettings: Config['console'];
  /** Where webhooks may go, and how they are retried. */
  webhookSettings: Config['webhooks'];
  now: Clock;
  /** Uploaded PDFs. */
  blobs: BlobStore;
  /** Parses statements off the main thread. */
  parser: StatementParser;
  limits: UploadLimits;
  /** Account Aggregator mode (a configured AA or the sandbox); null when this server offers none. */
  aa: AaDeps | null;
  /** The job worker of this process, to nudge after enqueueing (absent when jobs run elsewhere). */
  jobs?: { wake(): void };
  /** The webhook dispatcher of this process, to nudge after recording an event. */
  webhooks?: { wake(): void };
}
