import { sleep, type IExecuteFunctions, type IN8nHttpFullResponse } from 'n8n-workflow';

import {
	outcomeFromError,
	outcomeFromResponse,
	signedRequest,
	urlForMessages,
	type AttemptOutcome,
	type Destination,
	type DeliveryRuntime,
	type SignedRequest,
	type Signing,
} from '../../lib/delivery';

import type { PreparedEvent } from './config';

/**
 * One POST through n8n's HTTP helper, so the instance's proxy settings and outbound (SSRF) policy
 * apply. Never throws: every failure becomes an outcome for the retry loop.
 */
async function sendAttempt(
	context: IExecuteFunctions,
	request: SignedRequest,
	timeoutMs: number,
	cancelSignal: AbortSignal | undefined,
): Promise<AttemptOutcome> {
	// The client's own timeout only fires while the socket is idle; this deadline also ends an
	// attempt whose receiver keeps trickling bytes.
	const deadline = AbortSignal.timeout(timeoutMs);
	try {
		const response = (await context.helpers.httpRequest({
			method: 'POST',
			url: request.url,
			headers: request.headers,
			body: request.body,
			encoding: 'text',
			timeout: timeoutMs,
			abortSignal: cancelSignal ? AbortSignal.any([cancelSignal, deadline]) : deadline,
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
		return outcomeFromResponse(response);
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

/** Wires the pure retry loop to n8n: its HTTP helper, its cancellable sleep, its logger. */
export function deliveryRuntime(
	context: IExecuteFunctions,
	{ event, destination, signing, timeoutMs }: DeliveryTarget,
	cancelSignal: AbortSignal | undefined,
): DeliveryRuntime {
	return {
		attempt: async () =>
			await sendAttempt(
				context,
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
