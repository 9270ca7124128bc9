/**
 * The bank catalogue: identifiers, names, IFSC prefixes and which ways of sharing statements
 * each bank offers. Data lives in `catalogue.json`; identifiers are matched case-insensitively
 * and always emitted in lower case.
 */
import { readFileSync } from 'node:fs';
import type { Mode } from '../domain/client.ts';
import { loadBankProfiles, type BankProfile } from './bank-profile.ts';

export interface Bank {
  name: string;
  full_name: string;
  npci_code: string | null;
  is_pdf_upload_available: boolean;
  is_net_banking_available: boolean;
  is_aa_available: boolean;
  /** Web domains the bank prints on its statements (for telling which bank a statement is from). */
  web_domains?: string[];
}

const MODE_FLAG: Record<Mode, keyof Bank> = {
  pdf: 'is_pdf_upload_available',
  aa: 'is_aa_available',
  online: 'is_net_banking_available',
};

export class BankCatalogue {
  private readonly byName: Map<string, Bank>;
  /** The statement formats of the banks that have a profile (see bank-profile.ts). */
  readonly profiles: readonly BankProfile[];

  constructor(banks: readonly Bank[], profiles: readonly BankProfile[] = []) {
    this.byName = new Map(banks.map((b) => [b.name.toLowerCase(), { ...b, name: b.name.toLowerCase() }]));
    for (const p of profiles) if (!this.byName.has(p.bank)) throw new Error(`Bank profile ${p.bank}.json names no bank in the catalogue`);
    this.profiles = profiles;
  }

  find(identifier: string): Bank | undefined {
    return this.byName.get(identifier.trim().toLowerCase());
  }

  /** The bank whose IFSC codes start with `prefix` (the NPCI code). */
  byIfscPrefix(prefix: string): Bank | undefined {
    const code = prefix.toUpperCase();
    return this.all().find((b) => b.npci_code === code);
  }

  all(): Bank[] {
    return [...this.byName.values()];
  }

  offers(bank: Bank, mode: Mode): boolean {
    return bank[MODE_FLAG[mode]] === true;
  }
}

export function loadBankCatalogue(file = new URL('./catalogue.json', import.meta.url)): BankCatalogue {
  return new BankCatalogue(JSON.parse(readFileSync(file, 'utf8')) as Bank[], loadBankProfiles());
}
