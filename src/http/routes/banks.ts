/**
 * `GET /bank-connect/v1/banks/catalogue/` and the bank logos it links to. Logos are simple
 * monograms drawn here, so the catalogue and the journey never load anything from another host.
 */
import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { AppError } from '../../errors/codes.ts';
import type { Router } from '../route.ts';
import { BankCatalogueResponse } from '../../wire/banks-wire.ts';

export function bankLogoUrl(publicUrl: string, name: string): string {
  return `${publicUrl}/assets/banks/${encodeURIComponent(name)}.svg`;
}

function monogram(name: string, fullName: string): string {
  const initials = fullName
    .replace(/\b(of|and|the|bank|ltd|co-op|co-operative)\b/gi, '')
    .split(/[\s.&-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .slice(0, 3) || name.slice(0, 3).toUpperCase();
  const hue = createHash('sha256').update(name).digest()[0]! * (360 / 256);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="${fullName.replace(/[<&"]/g, '')}">` +
    `<circle cx="32" cy="32" r="32" fill="hsl(${hue.toFixed(0)} 55% 38%)"/>` +
    `<text x="32" y="39" font-family="system-ui, sans-serif" font-size="${initials.length > 2 ? 18 : 22}" font-weight="700" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
}

export function bankRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/bank-connect/v1/banks/catalogue/',
    auth: 'api-key-and-server-hash',
    startsWork: false,
    summary: 'Bank catalogue',
    responses: { 200: { description: 'Banks', json: BankCatalogueResponse } },
    async handler() {
      const banks = deps.banks.all().map((b) => ({
        name: b.name,
        full_name: b.full_name,
        npci_code: b.npci_code,
        logo_url: bankLogoUrl(deps.config.publicUrl, b.name),
        is_pdf_upload_available: b.is_pdf_upload_available,
        is_net_banking_available: b.is_net_banking_available,
        is_aa_available: b.is_aa_available,
      }));
      return { body: { count: banks.length, banks } };
    },
  });

  router.route({
    method: 'GET',
    url: '/assets/banks/:file',
    auth: 'none',
    summary: "A bank's logo (a monogram)",
    params: Type.Object({ file: Type.String({ description: '<bank name>.svg' }) }),
    responses: { 200: { description: 'The logo', contentType: 'image/svg+xml' } },
    errors: ['NOT_FOUND'],
    async handler({ path }) {
      const bank = deps.banks.find(path.file.replace(/\.svg$/, ''));
      if (!bank || !path.file.endsWith('.svg')) throw new AppError('NOT_FOUND');
      return {
        body: monogram(bank.name, bank.full_name),
        contentType: 'image/svg+xml',
        headers: { 'cache-control': 'public, max-age=86400' },
      };
    },
  });
}
