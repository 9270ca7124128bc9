/**
 * The Account Aggregator part of the composition root: from config, the AA client, keys and
 * settings the AA use cases are given (`AaDeps`): a configured AA as configured, or the
 * built-in sandbox with keys of its own kept under DATA_DIR.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AaClient } from './aa/aa-client.ts';
import { createAaSandbox, createAaSandboxKeys, type AaSandbox, type SandboxKeyPair } from './aa/sandbox/aa-sandbox.ts';
import { loadSigningKey, loadVerifyKey, type AaSigningKey, type AaVerifyKey } from './aa/aa-signature.ts';
import { ConfigError, type RemoteAaConfig } from './config.ts';
import type { Clock } from './ports/clock.ts';
import type { AaDeps } from './usecases/aa-deps.ts';

/** `{consent_handle}`, `{redirect_url}` and `{customer_id}` replaced, each URL-encoded. */
export function fillConsentUrl(template: string, p: { consentHandle: string; redirectUrl: string; customerId: string }): string {
  const values: Record<string, string> = { consent_handle: p.consentHandle, redirect_url: p.redirectUrl, customer_id: p.customerId };
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (name in values ? encodeURIComponent(values[name]!) : whole));
}

export interface AaKeys {
  fiuSigningKey: AaSigningKey;
  aaPublicKey: AaVerifyKey;
}

export interface AaDepsSettings {
  baseUrl: string;
  aaId: string;
  apiKey: string;
  notificationApiKey: string;
  handle: string;
  fiuId: string;
  consentUrl: string | null;
  dataKey: Buffer;
}

export function aaDeps(settings: AaDepsSettings, keys: AaKeys, now: Clock, fetch?: typeof globalThis.fetch): AaDeps {
  const client = new AaClient({
    baseUrl: settings.baseUrl,
    aaId: settings.aaId,
    apiKey: settings.apiKey,
    fiuId: settings.fiuId,
    signingKey: keys.fiuSigningKey,
    aaPublicKey: keys.aaPublicKey,
    now,
    ...(fetch ? { fetch } : {}),
  });
  const template = settings.consentUrl;
  return {
    client,
    fiuId: settings.fiuId,
    handle: settings.handle,
    consentUrl: (p) => (template === null ? null : fillConsentUrl(template, p)),
    notifications: { aaId: settings.aaId, expectedApiKey: settings.notificationApiKey, aaPublicKey: keys.aaPublicKey },
    signingKey: keys.fiuSigningKey,
    dataKey: settings.dataKey,
  };
}

/** A configured AA: its keys are loaded now, so a bad key stops start-up with its variable named. */
export async function remoteAaDeps(config: RemoteAaConfig, now: Clock): Promise<AaDeps> {
  let fiuSigningKey: AaSigningKey;
  let aaPublicKey: AaVerifyKey;
  try {
    fiuSigningKey = await loadSigningKey(config.fiuSigningKey, config.fiuSigningKeyId ? { kid: config.fiuSigningKeyId } : {});
  } catch (error) {
    throw new ConfigError([`FIU_SIGNING_KEY must be a private RSA or EC key as a JWK or PEM (${(error as Error).message.slice(0, 200)})`]);
  }
  try {
    aaPublicKey = await loadVerifyKey(config.aaPublicKey);
  } catch (error) {
    throw new ConfigError([`AA_PUBLIC_KEY must be a public key as a JWK or PEM (${(error as Error).message.slice(0, 200)})`]);
  }
  return aaDeps(config, { fiuSigningKey, aaPublicKey }, now);
}

/** Where the sandbox AA is mounted in Passbook's own app. */
export const AA_SANDBOX_PREFIX = '/aa-sandbox';
const SANDBOX_FIU_ID = 'passbook-fiu';
const SANDBOX_HANDLE = 'passbook-sandbox';

/** The sandbox's keys and shared secrets, made once per data directory (development only). */
interface SandboxSecrets {
  aa: SandboxKeyPair;
  fiu: SandboxKeyPair;
  fiuApiKey: string;
  notificationApiKey: string;
  dataKey: string;
}

async function sandboxSecrets(dataDir: string | null): Promise<SandboxSecrets> {
  const file = dataDir === null ? null : path.join(dataDir, 'aa-sandbox', 'keys.json');
  if (file) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as SandboxSecrets;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const keys = await createAaSandboxKeys();
  const secrets: SandboxSecrets = {
    ...keys,
    fiuApiKey: randomBytes(24).toString('base64url'),
    notificationApiKey: randomBytes(24).toString('base64url'),
    dataKey: randomBytes(32).toString('base64'),
  };
  if (file) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

export interface SandboxComposition {
  aa: AaDeps;
  sandbox: AaSandbox;
}

/**
 * The built-in sandbox AA and FIP, served by Passbook itself under /aa-sandbox, and the FIU
 * pointed at it: the same client, signatures, encryption and notifications as with a real AA.
 * `fetch` carries both directions (tests pass one that calls the app in-process).
 */
export async function sandboxAaDeps(publicUrl: string, dataDir: string | null, now: Clock, fetch?: typeof globalThis.fetch): Promise<SandboxComposition> {
  const secrets = await sandboxSecrets(dataDir);
  const sandbox = createAaSandbox({
    now,
    aaSigningKey: secrets.aa.privateJwk,
    fiuId: SANDBOX_FIU_ID,
    fiuPublicKey: secrets.fiu.publicJwk,
    fiuApiKey: secrets.fiuApiKey,
    fiuNotificationUrl: `${publicUrl}/aa`,
    aaApiKeyForFiu: secrets.notificationApiKey,
    publicUrl: `${publicUrl}${AA_SANDBOX_PREFIX}`,
    customerSuffix: SANDBOX_HANDLE,
    ...(fetch ? { fetch } : {}),
  });
  const keys = { fiuSigningKey: await loadSigningKey(secrets.fiu.privateJwk), aaPublicKey: await loadVerifyKey(secrets.aa.publicJwk) };
  const aa = aaDeps(
    {
      baseUrl: `${publicUrl}${AA_SANDBOX_PREFIX}/V2`,
      aaId: sandbox.aaId,
      apiKey: secrets.fiuApiKey,
      notificationApiKey: secrets.notificationApiKey,
      handle: SANDBOX_HANDLE,
      fiuId: SANDBOX_FIU_ID,
      consentUrl: null,
      dataKey: Buffer.from(secrets.dataKey, 'base64'),
    },
    keys,
    now,
    fetch,
  );
  return { aa: { ...aa, consentUrl: (p) => sandbox.consentPageUrl(p.consentHandle, p.redirectUrl) }, sandbox };
}
