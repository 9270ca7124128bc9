/**
 * `passbook parse FILE --insights`: one statement analysed as processing analyses an account
 * (enrichment, salary, obligations, bounces, balances, monthly analysis, predictors, fraud) and
 * printed as insights/ prints an account: `{ enrichment_version, accounts: [{ account_id, data }] }`.
 * There is no session: its id is the statement's, and nothing is stored.
 */
import { analyseAccount } from '../analysis/analyse-account.ts';
import { coveredMonths, type AccountSummary } from '../domain/account.ts';
import type { ParsedStatement } from '../domain/statement.ts';
import { findStatementFraud } from '../fraud/find-statement-fraud.ts';
import { enrichmentVersion, loadNarrationRules } from '../enrichment/narration-rules.ts';
import { renderAccountData } from '../wire/insights-wire.ts';

export interface StatementInsightsOptions {
  bankName: string | null;
  /** Derived from the file, so that hashes are the same in every run. */
  statementId: string;
  password?: string;
  rulesFile?: string;
  employers: string[];
  knownProducers: string[];
}

export function statementInsights(bytes: Uint8Array, parsed: ParsedStatement, options: StatementInsightsOptions) {
  const rules = loadNarrationRules(options.rulesFile);
  const { statementId } = options;
  const first = parsed.transactions[0]?.date;
  const last = parsed.transactions.at(-1)?.date;
  const range = parsed.period ?? (first && last ? { from: first, to: last } : null);
  const fraudFindings = findStatementFraud(bytes, parsed, { statementId, knownProducers: options.knownProducers, ...(options.password ? { password: options.password } : {}) });
  const summary: AccountSummary = {
    accountId: statementId,
    bankName: options.bankName ?? '',
    accountNumber: parsed.identity.accountNumber,
    identity: parsed.identity,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    statements: [
      {
        statementId,
        source: 'pdf',
        uploadFileName: null,
        fromDate: range?.from ?? null,
        toDate: range?.to ?? null,
        pageCount: parsed.pageCount,
        reconciled: parsed.reconciliation.reconciled,
        firstBreak: parsed.reconciliation.firstBreak,
        openingBalancePaise: parsed.openingBalancePaise,
        fraudFindings,
        blobKey: '',
        createdAt: new Date(0),
        storedAt: new Date(0),
      },
    ],
    months: coveredMonths(range ? [range] : []),
    missing: [],
    complete: true,
    processingStatus: parsed.reconciliation.reconciled === false ? 'failed' : 'completed',
    errorCode: null,
    errorMessage: null,
  };
  const { analysis } = analyseAccount(
    {
      accountId: statementId,
      bankName: summary.bankName,
      identity: parsed.identity,
      openingBalancePaise: parsed.openingBalancePaise,
      transactions: parsed.transactions.map((t, i) => ({ ...t, statementId, seq: i + 1 })),
      statementFraud: fraudFindings,
    },
    rules,
    { employerNames: options.employers, holderNames: [], companiesForSelfTransfer: [] },
  );
  return {
    enrichment_version: enrichmentVersion(rules),
    accounts: [{ account_id: statementId, data: renderAccountData({ sessionId: statementId, names: [], reportUrl: null }, summary, analysis) }],
  };
}
