/** Admin API for sessions; registered only when ADMIN_TOKEN is set. */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { reanalyseSession } from '../../usecases/process-session.ts';
import type { Router } from '../route.ts';
import { Uuid } from '../../wire/wire-formats.ts';

export const ReanalysedResponse = Type.Object({ session_id: Uuid, enrichment_version: Type.String() });

export function adminSessionRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'POST',
    url: '/admin/v1/sessions/:session_id/reanalyse',
    auth: 'admin',
    summary: "Run enrichment and analysis again for a processed session (the server's current rules), replacing what insights/ returns",
    params: Type.Object({ session_id: Uuid }),
    responses: { 200: { description: 'Analysed again, with this enrichment version', json: ReanalysedResponse } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'PROCESSING_NOT_COMPLETED'],
    async handler({ path }) {
      const done = await reanalyseSession(deps, path.session_id);
      return { body: { session_id: done.sessionId, enrichment_version: done.enrichmentVersion } };
    },
  });
}
