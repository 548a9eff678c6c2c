/**
 * How the sender reacts to a failed attempt. SMTP says which failures are worth retrying: 4xx replies
 * (421 "try later", 450 mailbox busy) and broken connections are transient; 5xx replies (550 no such
 * mailbox) are permanent and retrying would only annoy the receiving server.
 */
export type AttemptOutcome = { kind: 'retry'; delayMs: number } | { kind: 'fail' };

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'maxAttempts'> = {
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
};

export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** `attempts` is the number of attempts made so far, including the one that just failed. */
export function decideAfterFailure(
  error: unknown,
  attempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AttemptOutcome {
  if (isPermanentSmtpFailure(error) || attempts >= policy.maxAttempts) return { kind: 'fail' };
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  // Jitter spreads retries so a recovering mail server is not hit by every email at once.
  return { kind: 'retry', delayMs: Math.round(exponential * (0.5 + random() / 2)) };
}

export function describeMailError(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const parts = [e.responseCode ? `SMTP ${e.responseCode}` : e.code, e.message?.split('\n')[0]];
  return parts.filter(Boolean).join(': ') || 'unknown error';
}
