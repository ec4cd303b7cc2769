import {
	sleep,
	type IExecuteFunctions,
	type IN8nHttpFullResponse,
	type NodeEgressFilter,
} from 'n8n-workflow';

import {
	outcomeFromError,
	outcomeFromResponse,
	type AttemptOutcome,
	type ReceivedResponse,
} from '../../lib/delivery/attempt';
import { signedRequest, type SignedRequest, type Signing } from '../../lib/delivery/request';
import { urlForMessages } from '../../lib/delivery/report';
import type { Destination } from '../../lib/delivery/destinations';
import type { DeliveryRuntime } from '../../lib/delivery/deliver';

import type { PreparedEvent } from './prepareEvent';

/** Sends one signed POST and returns the receiver's answer; throws when there is none. */
export type Sender = (request: SignedRequest, signal: AbortSignal) => Promise<ReceivedResponse>;

/**
 * n8n's HTTP helper: the instance's proxy settings and outbound (SSRF) policy apply, but it opens
 * a new connection for every request.
 */
function helperSender(context: IExecuteFunctions, timeoutMs: number): Sender {
	return async (request, signal) =>
		(await context.helpers.httpRequest({
			method: 'POST',
			url: request.url,
			headers: request.headers,
			body: request.body,
			encoding: 'text',
			timeout: timeoutMs,
			abortSignal: signal,
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
}

/** The instance's outbound policy where n8n has one (2.x); n8n 1.x has none to apply. */
function egressFilterOf(context: IExecuteFunctions): NodeEgressFilter | undefined {
	const helpers = context.helpers as Partial<IExecuteFunctions['helpers']>;
	return helpers.getSecureEgressFilter?.();
}

/**
 * Node.js's own HTTP client, which keeps connections to a destination open between events: for
 * many events several times faster than a new connection each. Each URL is checked against the
 * instance's outbound policy once per run, before its first request.
 */
function keepAliveSender(context: IExecuteFunctions, send: typeof fetch): Sender {
	const filter = egressFilterOf(context);
	const checks = new Map<string, Promise<void>>();
	const allowed = async (url: string) => {
		if (!filter) return;
		let check = checks.get(url);
		if (!check) {
			check = filter.validateUrl(url).then((result) => {
				if (!result.ok) throw result.error;
			});
			checks.set(url, check);
		}
		await check;
	};
	return async (request, signal) => {
		await allowed(request.url);
		const response = await send(request.url, {
			method: 'POST',
			headers: request.headers,
			body: request.body,
			redirect: 'manual',
			signal,
		});
		return {
			statusCode: response.status,
			headers: Object.fromEntries(response.headers),
			body: await response.text(),
		};
	};
}

export function createSender(
	context: IExecuteFunctions,
	{ reuseConnections, timeoutMs }: { reuseConnections: boolean; timeoutMs: number },
	client: typeof fetch = fetch,
): Sender {
	return reuseConnections ? keepAliveSender(context, client) : helperSender(context, timeoutMs);
}

/** One attempt. Never throws: every failure becomes an outcome for the retry loop. */
async function sendAttempt(
	send: Sender,
	request: SignedRequest,
	timeoutMs: number,
	cancelSignal: AbortSignal | undefined,
): Promise<AttemptOutcome> {
	// A client's own timeout only fires while the socket is idle; this deadline also ends an
	// attempt whose receiver keeps trickling bytes.
	const deadline = AbortSignal.timeout(timeoutMs);
	try {
		const signal = cancelSignal ? AbortSignal.any([cancelSignal, deadline]) : deadline;
		return outcomeFromResponse(await send(request, signal));
	} catch (error) {
		return outcomeFromError(error, {
			timedOut: deadline.aborted,
			cancelled: cancelSignal?.aborted === true,
			timeoutMs,
		});
	}
}

export interface DeliveryTarget {
	event: PreparedEvent;
	destination: Destination;
	signing: Signing;
	timeoutMs: number;
}

/** Wires the pure retry loop to n8n: a sender, n8n's cancellable sleep, its logger. */
export function deliveryRuntime(
	context: IExecuteFunctions,
	send: Sender,
	{ event, destination, signing, timeoutMs }: DeliveryTarget,
	cancelSignal: AbortSignal | undefined,
): DeliveryRuntime {
	return {
		attempt: async () =>
			await sendAttempt(
				send,
				signedRequest(destination, event, signing, Math.floor(Date.now() / 1000)),
				timeoutMs,
				cancelSignal,
			),
		wait: async (ms) =>
			await sleep(ms, cancelSignal).then(
				() => true,
				// sleep rejects only when the execution is cancelled.
				() => false,
			),
		isCancelled: () => cancelSignal?.aborted === true,
		random: Math.random,
		now: Date.now,
		onRetry: ({ failedAttempt, delayMs, reason }) =>
			context.logger.debug(
				`Notify: attempt ${failedAttempt} of event ${event.id} to ${urlForMessages(destination.url)} failed (${reason}); retrying in ${delayMs} ms`,
			),
	};
}
