import {
	DEFAULT_MAX_TRACKED_CLIENTS,
	RateLimiter,
	rateLimitProblem,
	sharedLimiter,
} from '../../../../lib/security/rateLimiter';

const T0 = 1_700_000_000_000;

function takeMany(limiter: RateLimiter, key: string, count: number, nowMs = T0) {
	return Array.from({ length: count }, () => limiter.take(key, nowMs));
}

describe('token bucket rate limiter', () => {
	it('lets a burst of maxRequests through, then refuses with the wait until the next request', () => {
		const limiter = new RateLimiter({ maxRequests: 3, windowSeconds: 60 });
		expect(takeMany(limiter, 'a', 3)).toEqual(Array(3).fill({ allowed: true }));
		// One request refills every 20 s.
		expect(limiter.take('a', T0)).toEqual({ allowed: false, retryAfterSeconds: 20 });
		expect(limiter.take('a', T0 + 5_000)).toEqual({ allowed: false, retryAfterSeconds: 15 });
		expect(limiter.take('a', T0 + 19_001)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		expect(limiter.take('a', T0 + 20_000)).toEqual({ allowed: true });
		expect(limiter.take('a', T0 + 20_000)).toEqual({ allowed: false, retryAfterSeconds: 20 });
	});

	it('keeps clients apart', () => {
		const limiter = new RateLimiter({ maxRequests: 1, windowSeconds: 10 });
		expect(limiter.take('a', T0).allowed).toBe(true);
		expect(limiter.take('a', T0).allowed).toBe(false);
		expect(limiter.take('b', T0).allowed).toBe(true);
	});

	it('refused requests do not use up allowance, so waiting Retry-After always works', () => {
		const limiter = new RateLimiter({ maxRequests: 2, windowSeconds: 10 });
		takeMany(limiter, 'a', 2);
		for (let second = 0; second < 5; second++) limiter.take('a', T0 + second * 1000);
		expect(limiter.take('a', T0 + 5_000)).toEqual({ allowed: true });
	});

	it('refills evenly and never above the burst size', () => {
		const limiter = new RateLimiter({ maxRequests: 4, windowSeconds: 4 });
		takeMany(limiter, 'a', 4);
		const later = T0 + 2_000;
		expect(takeMany(limiter, 'a', 3, later).map((decision) => decision.allowed)).toEqual([
			true,
			true,
			false,
		]);
		const muchLater = T0 + 3_600_000;
		expect(takeMany(limiter, 'a', 5, muchLater).map((decision) => decision.allowed)).toEqual([
			true,
			true,
			true,
			true,
			false,
		]);
	});

	it('averages maxRequests per window over a long run of steady requests', () => {
		const limiter = new RateLimiter({ maxRequests: 10, windowSeconds: 60 });
		let allowed = 0;
		// One request every 100 ms for 10 minutes.
		for (let ms = 0; ms < 600_000; ms += 100) if (limiter.take('a', T0 + ms).allowed) allowed++;
		// The first burst of 10, then one every 6 s: 10 + 100 (±1 for the boundaries).
		expect(allowed).toBeGreaterThanOrEqual(109);
		expect(allowed).toBeLessThanOrEqual(110);
	});

	it('rounds Retry-After up to whole seconds, at least 1', () => {
		const limiter = new RateLimiter({ maxRequests: 3, windowSeconds: 1 });
		takeMany(limiter, 'a', 3);
		expect(limiter.take('a', T0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		const slow = new RateLimiter({ maxRequests: 1, windowSeconds: 3600 });
		slow.take('a', T0);
		expect(slow.take('a', T0 + 1)).toEqual({ allowed: false, retryAfterSeconds: 3600 });
	});

	it('does not drain a bucket when the clock steps backwards', () => {
		const limiter = new RateLimiter({ maxRequests: 2, windowSeconds: 10 });
		limiter.take('a', T0);
		expect(limiter.take('a', T0 - 60_000)).toEqual({ allowed: true });
		expect(limiter.take('a', T0 - 60_000).allowed).toBe(false);
	});

	it(`tracks at most ${DEFAULT_MAX_TRACKED_CLIENTS} clients while 10,000 distinct clients call`, () => {
		const limiter = new RateLimiter({ maxRequests: 1, windowSeconds: 3600 });
		const keys = Array.from(
			{ length: 10_000 },
			(_, index) => `ip:198.18.${index >> 8}.${index & 255}`,
		);
		let largest = 0;
		for (const key of keys) {
			expect(limiter.take(key, T0).allowed).toBe(true);
			largest = Math.max(largest, limiter.trackedClients);
		}
		expect(largest).toBe(DEFAULT_MAX_TRACKED_CLIENTS);
		expect(limiter.trackedClients).toBe(DEFAULT_MAX_TRACKED_CLIENTS);
		// The most recent clients are still held to their limit...
		const recent = keys.slice(-DEFAULT_MAX_TRACKED_CLIENTS);
		expect(recent.every((key) => !limiter.take(key, T0).allowed)).toBe(true);
		// ...and the least recently seen were forgotten, so they start with a full allowance.
		expect(limiter.take(keys[0], T0).allowed).toBe(true);
		expect(limiter.trackedClients).toBe(DEFAULT_MAX_TRACKED_CLIENTS);
	});

	it('evicts the least recently seen client, not the first one that ever came', () => {
		const limiter = new RateLimiter({ maxRequests: 1, windowSeconds: 3600 }, 3);
		for (const key of ['a', 'b', 'c']) limiter.take(key, T0);
		limiter.take('a', T0 + 1); // a is now the most recent
		limiter.take('d', T0 + 2); // evicts b
		expect(limiter.trackedClients).toBe(3);
		expect(limiter.take('a', T0 + 3).allowed).toBe(false);
		expect(limiter.take('c', T0 + 3).allowed).toBe(false);
		expect(limiter.take('b', T0 + 3).allowed).toBe(true);
	});

	it('keeps one limiter per node and process, replaced when the settings change', () => {
		const first = sharedLimiter('wf:node:webhook', { maxRequests: 2, windowSeconds: 60 });
		expect(sharedLimiter('wf:node:webhook', { maxRequests: 2, windowSeconds: 60 })).toBe(first);
		expect(sharedLimiter('wf:other:webhook', { maxRequests: 2, windowSeconds: 60 })).not.toBe(
			first,
		);
		const raised = sharedLimiter('wf:node:webhook', { maxRequests: 5, windowSeconds: 60 });
		expect(raised).not.toBe(first);
		expect(raised.settings).toEqual({ maxRequests: 5, windowSeconds: 60 });
		expect(sharedLimiter('wf:node:webhook', { maxRequests: 5, windowSeconds: 30 })).not.toBe(
			raised,
		);
	});

	it.each([
		[{ maxRequests: 0, windowSeconds: 60 }, 'Rate Limit (Requests) must be a whole number'],
		[{ maxRequests: 1.5, windowSeconds: 60 }, 'Rate Limit (Requests) must be a whole number'],
		[{ maxRequests: NaN, windowSeconds: 60 }, 'Rate Limit (Requests) must be a whole number'],
		[{ maxRequests: 5, windowSeconds: 0 }, 'Rate Limit Window (Seconds) must be more than 0'],
		[{ maxRequests: 5, windowSeconds: -1 }, 'Rate Limit Window (Seconds) must be more than 0'],
		[{ maxRequests: 5, windowSeconds: Infinity }, 'Rate Limit Window (Seconds) must be more'],
	])('refuses unusable settings %j', (settings, problem) => {
		expect(rateLimitProblem(settings)).toContain(problem);
	});

	it('accepts usable settings, fractional windows included', () => {
		expect(rateLimitProblem({ maxRequests: 1, windowSeconds: 0.5 })).toBeNull();
		expect(rateLimitProblem({ maxRequests: 1000, windowSeconds: 86400 })).toBeNull();
	});
});
