/** `banks/catalogue/`: the banks a session may name, and how each can share statements. */
import { Type } from 'typebox';
import { Nullable, Url } from './wire-formats.ts';

export const Bank = Type.Object({
  name: Type.String({ description: 'The identifier sessions and uploads use.' }),
  full_name: Type.String(),
  npci_code: Nullable(Type.String()),
  logo_url: Url,
  is_pdf_upload_available: Type.Boolean(),
  is_net_banking_available: Type.Boolean(),
  is_aa_available: Type.Boolean(),
});

export const BankCatalogueResponse = Type.Object({ count: Type.Integer(), banks: Type.Array(Bank) });
