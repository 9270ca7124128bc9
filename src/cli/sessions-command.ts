/** `passbook sessions reanalyse SESSION_ID`: the admin API's reanalyse on the configured store. */
import type { Config } from '../config.ts';
import { compose } from '../compose.ts';
import { reanalyseSession } from '../usecases/process-session.ts';

export async function runReanalyse(config: Config, sessionId: string): Promise<unknown> {
  const composition = await compose(config);
  try {
    const done = await reanalyseSession(composition.deps, sessionId);
    return { session_id: done.sessionId, enrichment_version: done.enrichmentVersion };
  } finally {
    await composition.close();
  }
}
