/**
 * One account's whole analysis, in the order each step needs the one before: every transaction
 * enriched by the rules file; salary, self and sister transfers, lender transactions and bounces
 * found; the labels refined by what was found (a salary credit is `salary` whatever its channel);
 * recurring sets, EOD balances, monthly analysis, top credits and debits, expense categories and
 * predictors computed from the refined labels; the statements' fraud findings collected with the
 * account's own. Pure: the processing job and `passbook parse --insights` both call it.
 */
import type { StatementIdentity, StoredTransaction } from '../domain/statement.ts';
import type { AccountAnalysis, FraudFinding } from '../domain/insights.ts';
import { enrichTransactions } from '../enrichment/enrich-transaction.ts';
import { enrichmentVersion, type NarrationRules } from '../enrichment/narration-rules.ts';
import type { AnalysisInput } from './analysis-input.ts';
import { findBounces } from './bounces.ts';
import { eodBalances } from './eod-balances.ts';
import { expenseCategories } from './expense-categories.ts';
import { findLenderTransactions } from './lender-transactions.ts';
import { monthlyAnalysis } from './monthly-analysis.ts';
import { predictors } from './predictors.ts';
import { findRecurring } from './recurring.ts';
import { refineEnrichment } from './refine-enrichment.ts';
import { findSalary, salaryEvents } from './salary.ts';
import { findSelfAndSisterTransfers } from './self-transfers.ts';
import { topCreditsDebits } from './top-credits-debits.ts';

export interface AccountToAnalyse {
  accountId: string;
  bankName: string;
  identity: StatementIdentity;
  /** The balance before the account's first stored row (its earliest statement's), or null. */
  openingBalancePaise: number | null;
  /** Every row of the account's stored statements, oldest first. */
  transactions: StoredTransaction[];
  /** What the statements' files and rows showed at upload. */
  statementFraud: FraudFinding[];
}

/** What the session tells about its user (`metadata` of the session). */
export interface AnalysisHints {
  employerNames: string[];
  /** The holder's names, besides the name the statements print. */
  holderNames: string[];
  companiesForSelfTransfer: string[];
}

export interface AnalysedAccount {
  analysis: AccountAnalysis;
  /** What the session's aggregate monthly analysis is combined from. */
  input: AnalysisInput;
}

export function analyseAccount(account: AccountToAnalyse, rules: NarrationRules, hints: AnalysisHints): AnalysedAccount {
  const enriched = enrichTransactions(account.transactions, rules);
  const holderNames = [...hints.holderNames, ...(account.identity.name ? [account.identity.name] : [])];
  const salary = findSalary(enriched, { employerNames: hints.employerNames });
  const selfAndSister = findSelfAndSisterTransfers(enriched, { holderNames, companies: hints.companiesForSelfTransfer });
  const lenderFirstPass = findLenderTransactions(enriched, findRecurring(enriched));
  const refined = refineEnrichment(enriched, {
    salaryHashes: new Set(salary.credits.map((c) => c.hash)),
    lenderHashes: new Set(lenderFirstPass),
    selfAndSisterHashes: new Set(selfAndSister),
  });
  const recurring = findRecurring(refined);
  const bounces = findBounces(refined);
  const input: AnalysisInput = {
    transactions: refined,
    openingBalancePaise: account.openingBalancePaise,
    salaryHashes: new Set(salary.credits.map((c) => c.hash)),
    lenderHashes: new Set(lenderFirstPass),
    selfAndSisterHashes: new Set(selfAndSister),
    bouncedOrPenalHashes: new Set(bounces.hashes),
    recurring,
    account: {
      accountNumber: account.identity.accountNumber,
      bankName: account.bankName,
      ifsc: account.identity.ifsc,
      holderName: account.identity.name,
      accountCategory: account.identity.accountCategory,
      odLimitPaise: account.identity.odLimitPaise,
    },
  };
  const eod = eodBalances(refined, account.openingBalancePaise);
  const analysis: AccountAnalysis = {
    accountId: account.accountId,
    enrichmentVersion: enrichmentVersion(rules),
    transactions: refined,
    salary: { credits: salary.credits, confidence: salary.confidence, ...salaryEvents(salary.credits, refined) },
    recurring,
    lenderHashes: lenderFirstPass,
    selfAndSisterHashes: selfAndSister,
    bouncedOrPenalHashes: bounces.hashes,
    bounceLinks: bounces.links,
    eodBalances: eod,
    monthlyAnalysis: monthlyAnalysis(input, eod),
    topCreditsDebits: topCreditsDebits(input),
    expenseCategories: expenseCategories(input),
    predictors: predictors(input, eod),
    fraud: account.statementFraud,
    score: null,
  };
  return { analysis, input };
}
