/** A client is one lender (tenant) with its credentials and what it may do. */
export const MODES = ['pdf', 'aa', 'online'] as const;
export type Mode = (typeof MODES)[number];

export const PLAN_STATUSES = ['active', 'expired'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface Client {
  clientId: string;
  name: string;
  enabledModes: Mode[];
  planStatus: PlanStatus;
  /** Hosts a session's redirect_url may point at; empty means any host. */
  allowedRedirectHosts: string[];
  /** Origins the journey may send iframe events to, besides the redirect_url's; may hold '*'. */
  frameOrigins: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ClientCredentialHashes {
  apiKeyHash: string;
  serverHashHash: string;
}

/** `*.example.com` matches sub-domains of example.com; other entries match exactly. */
export function redirectHostAllowed(client: Pick<Client, 'allowedRedirectHosts'>, host: string): boolean {
  if (client.allowedRedirectHosts.length === 0) return true;
  const h = host.toLowerCase();
  return client.allowedRedirectHosts.some((allowed) =>
    allowed.startsWith('*.') ? h.endsWith(allowed.slice(1)) && h.length > allowed.length - 1 : h === allowed,
  );
}

export interface ClientCredentials {
  apiKey: string;
  serverHash: string;
}

/** What the admin API and the CLI may change of a client. */
export interface ClientChanges {
  enabledModes?: Mode[];
  planStatus?: PlanStatus;
  allowedRedirectHosts?: string[];
  frameOrigins?: string[];
}
