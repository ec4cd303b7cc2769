import type { IWebhookFunctions } from 'n8n-workflow';

import type { HttpAnswer } from '../http/answers';
import { parseClientAddress } from '../security/address';
import { addressRateKey, rateLimitedAnswer } from '../security/policy';
import { sharedLimiter, type RateLimitSettings } from '../security/rateLimiter';

import { nodeScope } from './nodeScope';

/**
 * How many unsigned or forged requests one address may send to a node's internal webhook
 * (publish, persist) before it is answered 429 without any checking. Only those count: the
 * node's own requests are signed and never slowed down, however often they come.
 */
export const INTERNAL_REFUSALS: RateLimitSettings = { maxRequests: 10, windowSeconds: 60 };

export interface RefusalLimit {
	/** The 429 to answer at once, when this address used up its refusals. */
	limited: HttpAnswer | null;
	/** The request proved to be signed: it no longer counts against the address. */
	release(): void;
}

/**
 * The refusal allowance of the caller of `channel`, one of the node's internal webhooks. Every
 * request is counted as a refusal when it arrives, so that requests in flight at once cannot all
 * pass a check made before any of them was refused; a signed one is given back (`release`), an
 * unsigned or forged one stays counted.
 */
export function limitRefusals(context: IWebhookFunctions, channel: string): RefusalLimit {
	const limiter = sharedLimiter(`${nodeScope(context)}:${channel}`, INTERNAL_REFUSALS);
	const key = addressRateKey(parseClientAddress(context.getRequestObject().ip));
	const allowance = limiter.take(key, Date.now());
	return {
		limited: allowance.allowed ? null : rateLimitedAnswer(allowance.retryAfterSeconds),
		release: () => limiter.refund(key),
	};
}
