/**
 * Sign-in attempts per client address, in this process's memory: at most `limit` in any
 * `windowMs`. It stops one address from guessing across many accounts, which the per-account
 * lockout (console-sign-in.ts, in the store) cannot see. Behind a proxy every request comes from
 * the proxy's address unless Fastify is told to trust it; the lockout holds either way.
 */
import type { Clock } from '../ports/clock.ts';

/** Addresses remembered at most; the oldest is forgotten first (a flood of addresses costs bounded memory). */
const MAX_ADDRESSES = 10_000;

export class SignInThrottle {
  private readonly attempts = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: Clock;

  constructor(limit: number, windowMs: number, now: Clock) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = now;
  }

  /** Counts an attempt; returns the seconds to wait when the address is over its limit (the attempt is then not counted). */
  attempt(address: string): number | null {
    const now = this.now().getTime();
    const recent = (this.attempts.get(address) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.attempts.set(address, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.attempts.delete(address);
    this.attempts.set(address, recent);
    if (this.attempts.size > MAX_ADDRESSES) this.attempts.delete(this.attempts.keys().next().value!);
    return null;
  }
}
