/**
 * A token bucket per client key, in memory. Each client may send `maxRequests` at once; its
 * allowance refills evenly over `windowSeconds`, so over time it averages `maxRequests` per window.
 */
export interface RateLimitSettings {
	maxRequests: number;
	windowSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
	tokens: number;
	updatedMs: number;
}

/** How many clients one limiter tracks at most: under 2 MB of memory, whatever the traffic. */
export const DEFAULT_MAX_TRACKED_CLIENTS = 5000;

export class RateLimiter {
	// A Map keeps insertion order: re-inserting a key on every use keeps the least recently seen
	// client first, so eviction takes the one most likely to have refilled completely anyway.
	private readonly buckets = new Map<string, Bucket>();
	private readonly refillPerMs: number;
	readonly settings: RateLimitSettings;

	constructor(
		{ maxRequests, windowSeconds }: RateLimitSettings,
		private readonly maxTrackedClients = DEFAULT_MAX_TRACKED_CLIENTS,
	) {
		this.settings = { maxRequests, windowSeconds };
		this.refillPerMs = maxRequests / (windowSeconds * 1000);
	}

	/** Counts one request of `key` at `nowMs` and says whether it may go ahead. */
	take(key: string, nowMs: number): RateDecision {
		const tokens = this.tokensAt(key, nowMs);
		const allowed = tokens >= 1;
		this.buckets.delete(key);
		this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, updatedMs: nowMs });
		this.evictOverflow();
		return this.decision(tokens);
	}

	private tokensAt(key: string, nowMs: number): number {
		const bucket = this.buckets.get(key) ?? { tokens: this.settings.maxRequests, updatedMs: nowMs };
		// A clock that went backwards refills nothing rather than draining the bucket.
		const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
		return Math.min(this.settings.maxRequests, bucket.tokens + elapsedMs * this.refillPerMs);
	}

	private decision(tokens: number): RateDecision {
		if (tokens >= 1) return { allowed: true };
		const waitMs = (1 - tokens) / this.refillPerMs;
		return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
	}

	/** How many clients are tracked right now. */
	get trackedClients(): number {
		return this.buckets.size;
	}

	private evictOverflow(): void {
		for (const key of this.buckets.keys()) {
			if (this.buckets.size <= this.maxTrackedClients) return;
			this.buckets.delete(key);
		}
	}
}

/** Why the settings cannot limit anything, or null. */
export function rateLimitProblem({ maxRequests, windowSeconds }: RateLimitSettings): string | null {
	if (!(Number.isInteger(maxRequests) && maxRequests >= 1)) {
		return `Rate Limit (Requests) must be a whole number of at least 1, not ${maxRequests}.`;
	}
	if (!(Number.isFinite(windowSeconds) && windowSeconds > 0)) {
		return `Rate Limit Window (Seconds) must be more than 0, not ${windowSeconds}.`;
	}
	return null;
}

const limiters = new Map<string, RateLimiter>();

/**
 * The limiter of one node in this process (`scope` names the node), kept across requests. Changed
 * settings start a fresh one, so a raised limit applies at once.
 */
export function sharedLimiter(scope: string, settings: RateLimitSettings): RateLimiter {
	const existing = limiters.get(scope);
	if (
		existing &&
		existing.settings.maxRequests === settings.maxRequests &&
		existing.settings.windowSeconds === settings.windowSeconds
	) {
		return existing;
	}
	const limiter = new RateLimiter(settings);
	limiters.set(scope, limiter);
	return limiter;
}
