/**
 * The dependency rules of src/ (docs/architecture.md, "Dependency rules"). CI fails on any
 * violation: `npm run depcheck`.
 */
const layer = (name) => `^src/${name}/`;
const anyOf = (...names) => `^src/(${names.join('|')})(/|\\.ts$)`;

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles.', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Entities and pure rules: they import only lib/ and the error table.',
      from: { path: layer('domain') },
      to: { path: '^src/', pathNot: anyOf('domain', 'lib', 'errors') },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      comment: 'Ports name what the use cases need; they import only domain/ and lib/.',
      from: { path: layer('ports') },
      to: { path: '^src/', pathNot: anyOf('ports', 'domain', 'lib') },
    },
    {
      name: 'pdf-knows-no-statements',
      severity: 'error',
      comment: 'The PDF reader is a PDF reader: it knows nothing of statements, banks or the API.',
      from: { path: layer('pdf') },
      to: { path: '^src/', pathNot: anyOf('pdf', 'lib') },
    },
    {
      name: 'statements-below-usecases',
      severity: 'error',
      comment: 'Statement parsing reads PDFs into domain types; it knows nothing of HTTP, storage or use cases.',
      from: { path: layer('statements') },
      to: { path: anyOf('http', 'usecases', 'store', 'blobs', 'webhooks', 'jobs', 'wire', 'cli', 'journey', 'samples', 'app', 'main', 'compose') },
    },
    {
      name: 'wire-below-usecases',
      severity: 'error',
      comment: 'BankConnect wire shapes render domain values; HTTP, webhooks and the CLI use them, not the other way round.',
      from: { path: layer('wire') },
      to: { path: anyOf('http', 'usecases', 'store', 'blobs', 'webhooks', 'jobs', 'cli', 'app', 'main', 'compose') },
    },
    {
      name: 'store-is-sql-only',
      severity: 'error',
      comment: 'Repositories speak SQL in domain words; they know nothing of use cases, HTTP or the parser.',
      from: { path: layer('store') },
      to: { path: anyOf('http', 'usecases', 'webhooks', 'jobs', 'cli', 'wire', 'statements', 'pdf', 'blobs', 'app', 'main', 'compose') },
    },
    {
      name: 'usecases-know-no-edge',
      severity: 'error',
      comment: 'Use cases know nothing of HTTP, the CLI or the job runner.',
      from: { path: layer('usecases') },
      to: { path: anyOf('http', 'cli', 'jobs', 'app', 'main', 'compose') },
    },
    {
      name: 'webhooks-below-usecases',
      severity: 'error',
      comment: 'Use cases record webhook events; webhooks never call use cases or HTTP.',
      from: { path: layer('webhooks') },
      to: { path: anyOf('http', 'usecases', 'cli', 'jobs', 'app', 'main', 'compose') },
    },
    {
      name: 'http-through-usecases',
      severity: 'error',
      comment: 'Routes parse, call one use case and render: no SQL, no adapters, no parser from HTTP.',
      from: { path: layer('http') },
      to: { path: anyOf('store', 'blobs', 'statements', 'pdf', 'jobs', 'cli', 'main', 'compose') },
    },
    {
      name: 'enrichment-is-rules',
      severity: 'error',
      comment: 'Enrichment labels transactions from its rules files: it reads domain values and the bank catalogue, nothing of the analysis, storage or the edge.',
      from: { path: layer('enrichment') },
      to: { path: '^src/', pathNot: [anyOf('enrichment', 'domain', 'lib'), '^src/banks/bank-catalogue\\.ts$'] },
    },
    {
      name: 'analysis-is-pure',
      severity: 'error',
      comment: 'The account analysis is computed from enriched transactions: no storage, PDFs, HTTP or use cases, so the job and the CLI compute the same.',
      from: { path: layer('analysis') },
      to: { path: '^src/', pathNot: anyOf('analysis', 'enrichment', 'domain', 'lib') },
    },
    {
      name: 'fraud-reads-files-and-rows',
      severity: 'error',
      comment: 'Fraud checks read the PDF and the parsed rows; they know nothing of storage, HTTP or use cases.',
      from: { path: layer('fraud') },
      to: { path: '^src/', pathNot: [anyOf('fraud', 'pdf', 'domain', 'lib'), '^src/enrichment/transaction-hash\\.ts$'] },
    },
    {
      name: 'reports-render-analyses',
      severity: 'error',
      comment: 'Reports render stored analyses into files; they never compute, query or serve.',
      from: { path: layer('reports') },
      to: { path: '^src/', pathNot: anyOf('reports', 'analysis', 'domain', 'lib') },
    },
    {
      name: 'aa-crypto-is-pure',
      severity: 'error',
      comment: 'The Account Aggregator FI-data crypto is a scheme on bytes and keys: it imports nothing of the service.',
      from: { path: '^src/aa/fi-crypto\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'aa-protocol-is-pure',
      severity: 'error',
      comment: 'The AA protocol pieces (signatures, messages, the FIU client, notification checks, DEPOSIT documents) work on bytes and domain types only: no storage, HTTP framework or config.',
      from: { path: '^src/aa/(aa-signature|aa-messages|aa-client|aa-notifications|deposit-data|deposit-document)\\.ts$' },
      to: { path: '^src/', pathNot: anyOf('aa', 'domain', 'lib') },
    },
    {
      name: 'adapters-chosen-in-composition',
      severity: 'error',
      comment: 'Only the composition root (compose.ts, used by the server, the CLI and the tests) picks adapters.',
      from: { path: '^src/', pathNot: ['^src/compose\\.ts$', '^src/store/', '^src/blobs/', '^src/statements/pool/'] },
      to: { path: ['^src/store/(open-store|pglite-db|postgres-db)\\.ts$', '^src/blobs/', '^src/statements/pool/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
