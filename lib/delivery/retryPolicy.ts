/** How many times a delivery is attempted and how long it waits in between. */
export interface RetryPolicy {
	/** Attempts in total, the first one included. */
	maxAttempts: number;
	/** Ceiling of the first retry's random delay; the ceiling doubles with each further retry. */
	baseDelayMs: number;
	/** No wait is longer than this, not even one a receiver asks for with Retry-After. */
	maxDelayMs: number;
}

/** Statuses that mean "try again later": request timeout, too early, rate limited, server errors. */
export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Exponential backoff with "full jitter": a uniformly random wait below a ceiling that doubles
 * per retry, so senders that failed together (e.g. during a receiver's outage) come back spread
 * out instead of in waves. `retryNumber` is 1 for the wait before the second attempt.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelayMs(
	retryNumber: number,
	policy: RetryPolicy,
	random: () => number,
): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
	return Math.floor(random() * ceiling);
}

/** The wait before the next attempt: what the receiver asked for if it did, else the backoff; never above the cap. */
export function retryDelayMs(
	retryNumber: number,
	policy: RetryPolicy,
	random: () => number,
	retryAfterMs: number | undefined,
): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
	return backoffDelayMs(retryNumber, policy, random);
}
