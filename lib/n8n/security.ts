import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { errorCode, type HttpAnswer } from '../http/answers';
import {
	checkGate,
	securityPolicy,
	type PolicyParse,
	type SecurityOptions,
} from '../security/policy';
import { sharedLimiter } from '../security/rateLimiter';
import { refusalLogLine, refusalLogSummary, refusalSummaryKey } from '../security/refusalLog';

import { nodeScope } from './nodeScope';
import { answerMisconfigured, writeAnswer } from './respond';

/** The name of the "Security" collection parameter in both nodes. */
export const SECURITY_PARAMETER = 'security';

export interface GuardDetails {
	/** Key of the accepted access token the request presents, for a rate limit per token. */
	tokenKey?: string;
	/** Headers every answer of the endpoint carries (CORS), added to refusals too. */
	headers?: Record<string, string>;
}

/** What the Security options say about a request: refuse it, the options are unusable, or null (go on). */
export type SecurityVerdict = { refused: HttpAnswer } | { misconfigured: Error } | null;

/**
 * Which Security options a check applies: all of them, or one at a time, for an endpoint that
 * must read its credential before its rate limit can count by token: the allowlist first (an
 * address it keeps out never gets as far as the credential), the rate limit after.
 */
export type SecurityChecks = 'all' | 'allowlist' | 'rateLimit';

/** The node's Security options as a policy; an endpoint that checks in phases reads it once. */
export function readSecurityPolicy(context: IWebhookFunctions): PolicyParse {
	return securityPolicy(context.getNodeParameter(SECURITY_PARAMETER, {}) as SecurityOptions);
}

/** Applies the node's Security options (IP allowlist, then rate limit) without answering. */
export function securityVerdict(
	context: IWebhookFunctions,
	details: GuardDetails = {},
	checks: SecurityChecks = 'all',
	parsed: PolicyParse = readSecurityPolicy(context),
): SecurityVerdict {
	if (!parsed.ok) return { misconfigured: new Error(parsed.problem) };
	const policy = {
		allowlist: checks === 'rateLimit' ? null : parsed.policy.allowlist,
		rateLimit: checks === 'allowlist' ? null : parsed.policy.rateLimit,
	};
	if (!policy.allowlist && !policy.rateLimit) return null;
	const limiter = policy.rateLimit ? sharedLimiter(nodeScope(context), policy.rateLimit) : null;
	const request = { client: context.getRequestObject().ip, tokenKey: details.tokenKey };
	const refusal = checkGate(request, policy, limiter, Date.now());
	if (!refusal) return null;
	return { refused: { ...refusal, headers: { ...details.headers, ...refusal.headers } } };
}

/**
 * Applies the node's Security options (IP allowlist, then rate limit) before anything else looks
 * at the request. Returns what `webhook()` returns when the request is refused (answered and
 * logged here) or the options are unusable (answered 500 `misconfigured`), otherwise null.
 * `endpoint` names the endpoint in the misconfiguration answer; `parsed` is the policy when the
 * endpoint already read it for an earlier phase.
 */
export function guardRequest(
	context: IWebhookFunctions,
	endpoint: string,
	details: GuardDetails = {},
	checks: SecurityChecks = 'all',
	parsed: PolicyParse = readSecurityPolicy(context),
): IWebhookResponseData | null {
	const verdict = securityVerdict(context, details, checks, parsed);
	if (!verdict) return null;
	if ('misconfigured' in verdict)
		return answerMisconfigured(context, verdict.misconfigured, endpoint);
	return refuseRequest(context, verdict.refused);
}

/**
 * Answers a request the node refuses and logs one line for it; returns what `webhook()` returns
 * then. The log's reason is the answer's error code unless `refusal` names it.
 */
export function refuseRequest(
	context: IWebhookFunctions,
	answer: HttpAnswer,
	refusal: { reason: string; eventId?: string } = { reason: errorCode(answer) },
): IWebhookResponseData {
	writeAnswer(context, answer);
	logRefusal(context, refusal);
	return { noWebhookResponse: true };
}

/**
 * Logs a refused request through n8n's logger, at the reason's level: the first of its node, client
 * and reason, then at most one line a minute with how many went unlogged in between.
 */
export function logRefusal(
	context: IWebhookFunctions,
	{ reason, eventId }: { reason: string; eventId?: string },
): void {
	const client = context.getRequestObject().ip;
	const key = refusalSummaryKey(nodeScope(context), client, reason);
	const decision = refusalLogSummary.note(key, Date.now());
	if (!decision.log) return;
	const line = refusalLogLine({
		nodeName: context.getNode().name,
		workflowId: context.getWorkflow().id,
		reason,
		eventId,
		client,
		repeated: decision.repeated,
	});
	context.logger[line.level](line.message, line.metadata);
}
