import type { AttemptOutcome } from './attempt';
import { parseRetryAfterMs } from './retryAfter';
import { isRetryableStatus, retryDelayMs, type RetryPolicy } from './retryPolicy';

/** One attempt as the report lists it. */
export type AttemptRecord = {
	/** When the attempt started (ISO time). */
	at: string;
	/** The HTTP status received, or null when no answer came. */
	status: number | null;
	/** Why the attempt failed; null when it succeeded. */
	error: string | null;
};

/** The report line of one event's delivery to one destination. (A type, not an interface, so it is plain JSON to n8n.) */
export type DeliveryResult = {
	url: string;
	ok: boolean;
	/** The last HTTP status received, or null when no answer came. */
	status: number | null;
	attempts: number;
	/** From the first attempt to the final outcome, waits between attempts included. */
	durationMs: number;
	/** Why the delivery failed; null when it succeeded. */
	error: string | null;
	/** The start of the last answer's body, or null when no answer came. */
	responseBody: string | null;
	/** Every attempt, oldest first; across durable rounds only the latest MAX_HISTORY are kept. */
	history: AttemptRecord[];
	/** Accepted in an earlier, interrupted run of this execution, so not sent again in this one. */
	acceptedEarlier?: true;
};

/** The delivery of a destination that accepted the event in an earlier run of the execution. */
export function acceptedEarlier(url: string): Delivery {
	return {
		result: {
			url,
			ok: true,
			status: null,
			attempts: 0,
			durationMs: 0,
			error: null,
			responseBody: null,
			history: [],
			acceptedEarlier: true,
		},
		worthRetryingLater: false,
	};
}

/** A delivery's result, and whether a later round could still succeed where this one failed. */
export interface Delivery {
	result: DeliveryResult;
	/** Failed on network errors, timeouts or "try again" statuses only, and was not cancelled. */
	worthRetryingLater: boolean;
}

/** Everything the retry loop needs from the outside world, so tests can script it. */
export interface DeliveryRuntime {
	/** Sends one attempt. Never throws: every failure is an outcome. */
	attempt(): Promise<AttemptOutcome>;
	/** Resolves true once `ms` have passed, or false early if the execution is cancelled meanwhile. */
	wait(ms: number): Promise<boolean>;
	isCancelled(): boolean;
	/** A number in [0, 1), for the jitter. */
	random(): number;
	/** Milliseconds since the epoch. */
	now(): number;
	/** Told before each wait, e.g. for a debug log. */
	onRetry?(retry: { failedAttempt: number; delayMs: number; reason: string }): void;
}

const CANCELLED_MESSAGE = 'The execution was cancelled before this delivery succeeded';

function isDelivered(outcome: AttemptOutcome): boolean {
	return outcome.kind === 'response' && outcome.status >= 200 && outcome.status <= 299;
}

function isRetryable(outcome: AttemptOutcome): boolean {
	if (outcome.kind === 'response') return isRetryableStatus(outcome.status);
	return outcome.kind === 'failed' && outcome.retryable;
}

function failureMessage(outcome: AttemptOutcome): string {
	switch (outcome.kind) {
		case 'response':
			// A redirected POST turns into a GET without body or signature, so redirects are reported, not followed.
			return outcome.status >= 300 && outcome.status <= 399
				? `HTTP ${outcome.status}: redirects are not followed, use the final URL`
				: `HTTP ${outcome.status}`;
		case 'failed':
			return outcome.message;
		case 'cancelled':
			return CANCELLED_MESSAGE;
	}
}

/**
 * Delivers one event to one destination: attempts until a 2xx answer, a failure that retrying
 * cannot fix, the last allowed attempt, or cancellation, waiting between attempts as the policy
 * and the receiver's Retry-After say.
 */
export async function deliverWithRetries(
	url: string,
	policy: RetryPolicy,
	runtime: DeliveryRuntime,
): Promise<Delivery> {
	const startedAt = runtime.now();
	let attempts = 0;
	let last: AttemptOutcome | undefined;
	const history: AttemptRecord[] = [];
	const finish = (error: string | null, worthRetryingLater = false): Delivery => ({
		result: {
			url,
			ok: error === null,
			status: last?.kind === 'response' ? last.status : null,
			attempts,
			durationMs: runtime.now() - startedAt,
			error,
			responseBody: last?.kind === 'response' ? last.body : null,
			history,
		},
		worthRetryingLater,
	});

	for (;;) {
		if (runtime.isCancelled()) return finish(CANCELLED_MESSAGE);
		attempts += 1;
		const at = new Date(runtime.now()).toISOString();
		last = await runtime.attempt();
		const delivered = isDelivered(last);
		history.push({
			at,
			status: last.kind === 'response' ? last.status : null,
			error: delivered ? null : failureMessage(last),
		});
		if (delivered) return finish(null);
		if (!isRetryable(last)) return finish(failureMessage(last));
		if (attempts >= policy.maxAttempts) return finish(failureMessage(last), true);
		const retryAfterMs =
			last.kind === 'response' ? parseRetryAfterMs(last.retryAfter, runtime.now()) : undefined;
		const delayMs = retryDelayMs(attempts, policy, () => runtime.random(), retryAfterMs);
		runtime.onRetry?.({ failedAttempt: attempts, delayMs, reason: failureMessage(last) });
		if (!(await runtime.wait(delayMs))) return finish(CANCELLED_MESSAGE);
	}
}
