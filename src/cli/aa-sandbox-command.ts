/**
 * `passbook aa-sandbox`: the sandbox AA and FIP (src/aa/sandbox/) on a server of their own, for a
 * Passbook configured as it would be for a real AA (AA_BASE_URL and the rest, config.aa.kind
 * 'remote'). It prints that configuration on stdout, then serves until SIGINT or SIGTERM.
 * This command is its own composition root: it reads the system clock and makes the keys.
 * docs/aa.md, "Running the sandbox on its own".
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createAaSandboxKeys, startAaSandbox, type SandboxKeyPair } from '../aa/sandbox/aa-sandbox.ts';
import { systemClock } from '../ports/clock.ts';
import { UsageError } from './usage.ts';

export const AA_SANDBOX_DEFAULT_PORT = 8090;
/** The FIU id the sandbox serves, and the customer suffix (`<mobile>@passbook-sandbox`). */
const FIU_ID = 'passbook-fiu';
const HANDLE = 'passbook-sandbox';

/** What `--keys FILE` keeps: the same shape as the built-in sandbox's DATA_DIR/aa-sandbox/keys.json. */
export interface AaSandboxSecrets {
  aa: SandboxKeyPair;
  fiu: SandboxKeyPair;
  /** What the FIU sends as client_api_key (Passbook's AA_API_KEY). */
  fiuApiKey: string;
  /** What the sandbox sends as aa_api_key on notifications (Passbook's AA_NOTIFICATION_API_KEY). */
  notificationApiKey: string;
  /** Passbook's AA_DATA_KEY, 32 bytes in base64. The sandbox never uses it. */
  dataKey: string;
}

async function newSecrets(): Promise<AaSandboxSecrets> {
  return {
    ...(await createAaSandboxKeys()),
    fiuApiKey: randomBytes(24).toString('base64url'),
    notificationApiKey: randomBytes(24).toString('base64url'),
    dataKey: randomBytes(32).toString('base64'),
  };
}

function isKeyPair(value: unknown): value is SandboxKeyPair {
  const pair = value as Record<string, unknown> | null;
  return typeof pair === 'object' && pair !== null && ['kid', 'privateJwk', 'publicJwk'].every((k) => typeof pair[k] === 'string' && pair[k] !== '');
}

function checkSecrets(value: unknown, file: string): AaSandboxSecrets {
  const s = value as Record<string, unknown> | null;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    isKeyPair(s['aa']) &&
    isKeyPair(s['fiu']) &&
    ['fiuApiKey', 'notificationApiKey', 'dataKey'].every((k) => typeof s[k] === 'string' && s[k].length >= 16) &&
    Buffer.from(s['dataKey'] as string, 'base64').length === 32;
  // Names the file, never a value in it.
  if (!ok) throw new Error(`${file} is not a keys file of passbook aa-sandbox (it needs aa, fiu, fiuApiKey, notificationApiKey and dataKey)`);
  return s as unknown as AaSandboxSecrets;
}

/** The keys and secrets in `file`, or fresh ones written there (0600) when it does not exist. */
async function keptSecrets(file: string, warn: (line: string) => void): Promise<AaSandboxSecrets> {
  try {
    const text = await readFile(file, 'utf8');
    const secrets = checkSecrets(parseJson(text, file), file);
    if (((await stat(file)).mode & 0o077) !== 0) warn(`${file} can be read by other users; it holds private keys (chmod 600 it)`);
    return secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets = await newSecrets();
  await mkdir(path.dirname(file), { recursive: true });
  try {
    // wx: never overwrite a file another process wrote meanwhile.
    await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return checkSecrets(parseJson(await readFile(file, 'utf8'), file), file);
    throw error;
  }
  return secrets;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON (a keys file of passbook aa-sandbox is)`);
  }
}

function portOf(value: string | boolean | undefined): number {
  if (value === undefined) return AA_SANDBOX_DEFAULT_PORT;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError('--port is a whole number from 0 to 65535');
  return Number(value);
}

function fiuUrlOf(value: string | boolean | undefined): string | null {
  if (value === undefined) return null;
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new UsageError('--fiu-url is an http(s) URL without query or fragment: where the FIU serves /Consent/Notification and /FI/Notification (for Passbook, <PUBLIC_URL>/aa)');
  }
  return url.toString().replace(/\/+$/, '');
}

/** The environment a Passbook server needs to use this sandbox as its AA, one `NAME=value` a line. */
export function passbookEnv(url: string, aaId: string, secrets: AaSandboxSecrets): [string, string][] {
  return [
    ['AA_BASE_URL', `${url}/V2`],
    ['AA_ID', aaId],
    ['AA_API_KEY', secrets.fiuApiKey],
    ['AA_NOTIFICATION_API_KEY', secrets.notificationApiKey],
    ['AA_PUBLIC_KEY', oneLine(secrets.aa.publicJwk)],
    ['AA_HANDLE', HANDLE],
    ['FIU_ID', FIU_ID],
    ['FIU_SIGNING_KEY', oneLine(secrets.fiu.privateJwk)],
    ['FIU_SIGNING_KEY_ID', secrets.fiu.kid],
    ['AA_DATA_KEY', secrets.dataKey],
    ['AA_CONSENT_URL', `${url}/consent/{consent_handle}?redirect_url={redirect_url}`],
  ];
}

const oneLine = (json: string) => JSON.stringify(JSON.parse(json));

export interface AaSandboxIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves with the signal that should stop the server. */
  stopSignal: () => Promise<NodeJS.Signals>;
}

function processStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second signal while closing: the operator does not want to wait.
      process.once('SIGINT', () => process.exit(1));
      process.once('SIGTERM', () => process.exit(1));
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

const PROCESS_IO: AaSandboxIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stopSignal: processStopSignal,
};

/** Runs until a stop signal; resolves (with nothing more to print) once the server has closed. */
export async function runAaSandbox(values: Record<string, string | boolean | undefined>, io: AaSandboxIo = PROCESS_IO): Promise<string> {
  const port = portOf(values.port);
  const host = values.host === undefined ? '127.0.0.1' : values.host;
  if (typeof host !== 'string' || host.trim() === '') throw new UsageError('--host is a host name or address to listen on');
  const fiuUrl = fiuUrlOf(values['fiu-url']);
  if (values.keys !== undefined && (typeof values.keys !== 'string' || values.keys === '')) throw new UsageError('--keys is a file name');
  const warn = (line: string) => io.stderr(`passbook aa-sandbox: ${line}\n`);

  // Listen for signals before the slow part (key generation), so an early Ctrl-C is not lost.
  const stopping = io.stopSignal();
  const early: { signal: NodeJS.Signals | null } = { signal: null };
  void stopping.then((signal) => (early.signal = signal));
  const secrets = typeof values.keys === 'string' ? await keptSecrets(path.resolve(values.keys), warn) : await newSecrets();
  const running = await startAaSandbox({
    now: systemClock,
    aaSigningKey: secrets.aa.privateJwk,
    fiuId: FIU_ID,
    fiuPublicKey: secrets.fiu.publicJwk,
    fiuApiKey: secrets.fiuApiKey,
    fiuNotificationUrl: fiuUrl,
    aaApiKeyForFiu: secrets.notificationApiKey,
    customerSuffix: HANDLE,
    host,
    port,
    // Fastify's logger would write to stdout, which holds the environment; it stays off.
    logger: false,
  });
  if (early.signal !== null) {
    // Stopped while starting: nothing was printed, so nothing is left to use.
    await running.close();
    warn(`${early.signal} while starting: stopped`);
    return '';
  }
  if (fiuUrl === null) warn('no --fiu-url: no notifications are sent, so the FIU must poll the AA');
  else warn(`notifications go to ${fiuUrl}/Consent/Notification and ${fiuUrl}/FI/Notification`);
  const env = passbookEnv(running.url, running.sandbox.aaId, secrets);
  io.stdout(
    `${env.map(([name, value]) => `${name}=${value}`).join('\n')}\n` +
      `# passbook aa-sandbox listening on ${running.url} (AA API ${running.url}/V2, consent pages ${running.url}/consent/…); SIGINT or SIGTERM stops it\n`,
  );

  const signal = await stopping;
  warn(`${signal}: closing`);
  await running.close();
  warn('stopped');
  return '';
}
