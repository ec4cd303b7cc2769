import { parseClientAddress } from '../../../../lib/security/address';
import {
	addressRateKey,
	checkGate,
	securityPolicy,
	type SecurityOptions,
	type SecurityPolicy,
} from '../../../../lib/security/policy';
import { RateLimiter } from '../../../../lib/security/rateLimiter';

const T0 = 1_700_000_000_000;

function policyOf(options: SecurityOptions): SecurityPolicy {
	const parsed = securityPolicy(options);
	if (!parsed.ok) throw new Error(parsed.problem);
	return parsed.policy;
}

describe('security policy from the node options', () => {
	it('is off by default: no allowlist, no rate limit', () => {
		expect(securityPolicy({})).toEqual({ ok: true, policy: { allowlist: null, rateLimit: null } });
		expect(policyOf({ ipAllowlist: '  ' }).allowlist).toBeNull();
	});

	it('turns the rate limit on with Rate Limit (Requests), window 60 s and by address unless set', () => {
		expect(policyOf({ rateLimitRequests: 5 }).rateLimit).toEqual({
			maxRequests: 5,
			windowSeconds: 60,
			key: 'ip',
		});
		expect(
			policyOf({ rateLimitRequests: 5, rateLimitWindowSeconds: 10, rateLimitKey: 'token' })
				.rateLimit,
		).toEqual({ maxRequests: 5, windowSeconds: 10, key: 'token' });
		expect(policyOf({ rateLimitWindowSeconds: 10 }).rateLimit).toBeNull();
	});

	it('explains unusable options instead of ignoring them', () => {
		expect(securityPolicy({ ipAllowlist: '10.0.0.0/8, 10.0.0.999' })).toEqual({
			ok: false,
			problem: expect.stringContaining('IP Allowlist entry 2, "10.0.0.999"'),
		});
		expect(securityPolicy({ rateLimitRequests: 0 })).toEqual({
			ok: false,
			problem: expect.stringContaining('Rate Limit (Requests)'),
		});
	});
});

describe('rate limit keys', () => {
	it.each([
		['203.0.113.7', 'ip:203.0.113.7'],
		['::ffff:203.0.113.7', 'ip:203.0.113.7'],
		['2001:db8:1:2:3:4:5:6', 'ip:2001:db8:1:2::/64'],
		['2001:db8:1:2::99', 'ip:2001:db8:1:2::/64'],
		['::1', 'ip:::/64'],
		[undefined, 'ip:unknown'],
		['garbage', 'ip:unknown'],
	])('%s counts as %s', (client, key) => {
		expect(addressRateKey(parseClientAddress(client))).toBe(key);
	});
});

describe('the gate', () => {
	const allowlisted = policyOf({ ipAllowlist: '10.0.0.0/8, 2001:db8::/32' });

	it('refuses addresses outside the allowlist with 403 ip_not_allowed, uncacheable', () => {
		expect(checkGate({ client: '192.0.2.1' }, allowlisted, null, T0)).toEqual({
			status: 403,
			body: {
				error: 'ip_not_allowed',
				message: 'Requests from this address are not allowed here.',
			},
			headers: { 'Cache-Control': 'no-store' },
		});
		expect(checkGate({ client: undefined }, allowlisted, null, T0)?.status).toBe(403);
	});

	it('lets allowlisted addresses through, IPv4-mapped ones included', () => {
		for (const client of ['10.1.2.3', '::ffff:10.1.2.3', '2001:db8::5']) {
			expect(checkGate({ client }, allowlisted, null, T0)).toBeNull();
		}
	});

	it('answers 429 rate_limited with Retry-After over the limit', () => {
		const policy = policyOf({ rateLimitRequests: 2, rateLimitWindowSeconds: 30 });
		const limiter = new RateLimiter(policy.rateLimit!);
		expect(checkGate({ client: '192.0.2.1' }, policy, limiter, T0)).toBeNull();
		expect(checkGate({ client: '::ffff:192.0.2.1' }, policy, limiter, T0)).toBeNull();
		expect(checkGate({ client: '192.0.2.1' }, policy, limiter, T0)).toEqual({
			status: 429,
			body: { error: 'rate_limited', message: 'Too many requests; retry in 15 seconds.' },
			headers: { 'Retry-After': '15', 'Cache-Control': 'no-store' },
		});
		expect(checkGate({ client: '192.0.2.2' }, policy, limiter, T0)).toBeNull();
	});

	it('says "1 second" in the singular', () => {
		const policy = policyOf({ rateLimitRequests: 1, rateLimitWindowSeconds: 1 });
		const limiter = new RateLimiter(policy.rateLimit!);
		checkGate({ client: '192.0.2.1' }, policy, limiter, T0);
		expect(checkGate({ client: '192.0.2.1' }, policy, limiter, T0)?.body).toEqual({
			error: 'rate_limited',
			message: 'Too many requests; retry in 1 second.',
		});
	});

	it('counts IPv6 callers per /64, so a host cannot dodge the limit by changing its address', () => {
		const policy = policyOf({ rateLimitRequests: 1 });
		const limiter = new RateLimiter(policy.rateLimit!);
		expect(checkGate({ client: '2001:db8:1:2::1' }, policy, limiter, T0)).toBeNull();
		expect(checkGate({ client: '2001:db8:1:2::2' }, policy, limiter, T0)?.status).toBe(429);
		expect(checkGate({ client: '2001:db8:1:3::1' }, policy, limiter, T0)).toBeNull();
	});

	it('checks the allowlist first: refused addresses use up no allowance and no limiter memory', () => {
		const policy = policyOf({ ipAllowlist: '10.0.0.1', rateLimitRequests: 1 });
		const limiter = new RateLimiter(policy.rateLimit!);
		for (let index = 0; index < 5; index++) {
			expect(checkGate({ client: `192.0.2.${index}` }, policy, limiter, T0)?.status).toBe(403);
		}
		expect(limiter.trackedClients).toBe(0);
		expect(checkGate({ client: '10.0.0.1' }, policy, limiter, T0)).toBeNull();
	});

	it('counts by token when asked and a valid token was presented, otherwise by address', () => {
		const policy = policyOf({ rateLimitRequests: 1, rateLimitKey: 'token' });
		const limiter = new RateLimiter(policy.rateLimit!);
		const shared = '198.51.100.1';
		expect(checkGate({ client: shared, tokenKey: 'aaa' }, policy, limiter, T0)).toBeNull();
		expect(checkGate({ client: shared, tokenKey: 'bbb' }, policy, limiter, T0)).toBeNull();
		expect(checkGate({ client: shared, tokenKey: 'aaa' }, policy, limiter, T0)?.status).toBe(429);
		expect(
			checkGate({ client: '198.51.100.2', tokenKey: 'aaa' }, policy, limiter, T0)?.status,
		).toBe(429);
		// No valid token: the address's own allowance.
		expect(checkGate({ client: shared }, policy, limiter, T0)).toBeNull();
		expect(checkGate({ client: shared }, policy, limiter, T0)?.status).toBe(429);
	});

	it('ignores a presented token when counting by address', () => {
		const policy = policyOf({ rateLimitRequests: 1 });
		const limiter = new RateLimiter(policy.rateLimit!);
		expect(checkGate({ client: '198.51.100.1', tokenKey: 'aaa' }, policy, limiter, T0)).toBeNull();
		expect(
			checkGate({ client: '198.51.100.1', tokenKey: 'bbb' }, policy, limiter, T0)?.status,
		).toBe(429);
	});
});
