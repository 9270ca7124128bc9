/**
 * The analysis page's place in the first view: a small loader. The page itself, and uPlot with
 * it, is a chunk of its own (esbuild's code splitting), fetched the first time it is opened.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AnalysisPage as Page } from './analysis.tsx';
import { ErrorNotice, Spinner } from '../components.tsx';

let loaded: typeof Page | null = null;

export function AnalysisRoute({ sessionId }: { sessionId: string }) {
  const [page, setPage] = useState<typeof Page | null>(() => loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // The page sets its own title once loaded; until then, this one.
  useEffect(() => {
    if (!loaded) document.title = 'Analysis · Passbook console';
  }, []);

  useEffect(() => {
    if (page) return;
    let live = true;
    setFailed(false);
    import('./analysis.tsx')
      .then((module) => {
        loaded = module.AnalysisPage;
        if (live) setPage(() => module.AnalysisPage);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [attempt]);

  if (page) {
    const AnalysisPage = page;
    return <AnalysisPage sessionId={sessionId} />;
  }
  return (
    <div class="page">
      <h1 tabIndex={-1}>Analysis</h1>
      {failed ? (
        <ErrorNotice title="The analysis page could not be loaded" message="Check your connection and try again." onRetry={() => setAttempt((n) => n + 1)} />
      ) : (
        <Spinner label="Loading the analysis…" />
      )}
    </div>
  );
}
