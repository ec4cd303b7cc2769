import { errorAnswer, type HttpAnswer } from '../http/answers';

import { formatAddress, networkOf, parseClientAddress, type IpAddress } from './address';
import { isAllowed, parseAllowlist, type AddressRange } from './allowlist';
import { rateLimitProblem, type RateLimiter, type RateLimitSettings } from './rateLimiter';

/** The node's "Security" collection as n8n hands it over; absent options are off. */
export interface SecurityOptions {
	ipAllowlist?: string;
	rateLimitRequests?: number;
	rateLimitWindowSeconds?: number;
	rateLimitKey?: RateLimitKey;
}

/** What the rate limit counts by: the caller's address, or the access token it presents. */
export type RateLimitKey = 'ip' | 'token';

export interface SecurityPolicy {
	/** Null when every address may call. */
	allowlist: AddressRange[] | null;
	/** Null when requests are not limited. */
	rateLimit: (RateLimitSettings & { key: RateLimitKey }) | null;
}

export const DEFAULT_RATE_LIMIT_WINDOW_SECONDS = 60;

export type PolicyParse = { ok: true; policy: SecurityPolicy } | { ok: false; problem: string };

/** Turns the options into a policy, or explains what is wrong with them. */
export function securityPolicy(options: SecurityOptions): PolicyParse {
	const allowlist = parseAllowlist(options.ipAllowlist ?? '');
	if (!allowlist.ok) return { ok: false, problem: allowlist.problem };
	let rateLimit: SecurityPolicy['rateLimit'] = null;
	if (options.rateLimitRequests !== undefined) {
		const settings = {
			maxRequests: options.rateLimitRequests,
			windowSeconds: options.rateLimitWindowSeconds ?? DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
		};
		const problem = rateLimitProblem(settings);
		if (problem) return { ok: false, problem };
		rateLimit = { ...settings, key: options.rateLimitKey ?? 'ip' };
	}
	return {
		ok: true,
		policy: { allowlist: allowlist.ranges.length > 0 ? allowlist.ranges : null, rateLimit },
	};
}

// One host is usually given a whole /64, so counting IPv6 callers per address would let a single
// machine pick a fresh address for every request.
const IPV6_CLIENT_BITS = 64;

/** The rate limit key of a caller's address: the IPv4 address, or the IPv6 /64 it belongs to. */
export function addressRateKey(address: IpAddress | null): string {
	if (!address) return 'ip:unknown';
	if (address.isIpv4) return `ip:${formatAddress(address)}`;
	const network = networkOf(address.value, IPV6_CLIENT_BITS);
	return `ip:${formatAddress({ value: network, isIpv4: false })}/${IPV6_CLIENT_BITS}`;
}

export interface GateRequest {
	/** The address n8n resolved for the caller (`req.ip`). */
	client: string | undefined;
	/** A stable, non-secret key of the accepted token the caller presented, if any. */
	tokenKey?: string;
}

/**
 * The refusal for a request the policy keeps out, or null. The allowlist is checked first, so a
 * refused address never uses up anyone's allowance nor a place in the limiter's memory.
 */
export function checkGate(
	request: GateRequest,
	policy: SecurityPolicy,
	limiter: RateLimiter | null,
	nowMs: number,
): HttpAnswer | null {
	const address = parseClientAddress(request.client);
	if (policy.allowlist && !isAllowed(address, policy.allowlist)) {
		return refusal(403, 'ip_not_allowed', 'Requests from this address are not allowed here.');
	}
	if (!policy.rateLimit || !limiter) return null;
	const byToken = policy.rateLimit.key === 'token' && request.tokenKey !== undefined;
	const key = byToken ? `token:${request.tokenKey}` : addressRateKey(address);
	const decision = limiter.take(key, nowMs);
	return decision.allowed ? null : rateLimitedAnswer(decision.retryAfterSeconds);
}

/** The 429 for a caller over its allowance, saying when to try again. */
function rateLimitedAnswer(seconds: number): HttpAnswer {
	return refusal(
		429,
		'rate_limited',
		`Too many requests; retry in ${seconds} second${seconds === 1 ? '' : 's'}.`,
		{ 'Retry-After': String(seconds) },
	);
}

// Refusals depend on who asks and when, so no cache may keep them.
function refusal(
	status: number,
	error: string,
	message: string,
	headers: Record<string, string> = {},
): HttpAnswer {
	return errorAnswer(status, error, message, { ...headers, 'Cache-Control': 'no-store' });
}
