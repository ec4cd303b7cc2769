import type { AttemptOutcome } from '../../../../lib/delivery/attempt';
import { deliverWithRetries, type DeliveryRuntime } from '../../../../lib/delivery/deliver';
import type { RetryPolicy } from '../../../../lib/delivery/retryPolicy';

const URL_ = 'https://receiver.example/hooks';
const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
const START = Date.parse('2026-11-23T10:00:00Z');

const answer = (
	status: number,
	extra: Partial<Extract<AttemptOutcome, { kind: 'response' }>> = {},
): AttemptOutcome => ({
	kind: 'response',
	status,
	body: `answer ${status}`,
	...extra,
});
const networkError: AttemptOutcome = {
	kind: 'failed',
	retryable: true,
	message: 'Connection refused (ECONNREFUSED)',
};

/**
 * A runtime that plays back scripted attempt outcomes on a fake clock: each attempt takes
 * `attemptMs`, each wait advances the clock by exactly what was asked.
 */
function scripted(
	outcomes: AttemptOutcome[],
	options: { random?: number; attemptMs?: number; cancelAfterWaits?: number } = {},
) {
	let clock = START;
	const waits: number[] = [];
	const retries: Array<{ failedAttempt: number; delayMs: number; reason: string }> = [];
	let cancelled = false;
	const runtime: DeliveryRuntime = {
		attempt: async () => {
			clock += options.attemptMs ?? 10;
			const next = outcomes.shift();
			if (!next) throw new Error('more attempts than scripted');
			return next;
		},
		wait: async (ms) => {
			waits.push(ms);
			if (options.cancelAfterWaits !== undefined && waits.length > options.cancelAfterWaits) {
				cancelled = true;
				return false;
			}
			clock += ms;
			return true;
		},
		isCancelled: () => cancelled,
		random: () => options.random ?? 0.5,
		now: () => clock,
		onRetry: (retry) => retries.push(retry),
	};
	return { runtime, waits, retries, remaining: outcomes, cancel: () => (cancelled = true) };
}

/** The report line of a delivery to URL_. */
const deliver = async (retryPolicy: RetryPolicy, runtime: DeliveryRuntime) =>
	(await deliverWithRetries(URL_, retryPolicy, runtime)).result;
const at = (ms: number) => new Date(START + ms).toISOString();

describe('deliverWithRetries', () => {
	it('succeeds on a first 2xx without waiting', async () => {
		const { runtime, waits } = scripted([answer(204, { body: '' })]);
		await expect(deliver(policy, runtime)).resolves.toEqual({
			url: URL_,
			ok: true,
			status: 204,
			attempts: 1,
			durationMs: 10,
			error: null,
			responseBody: '',
			history: [{ at: at(0), status: 204, error: null }],
		});
		expect(waits).toEqual([]);
	});

	it('retries a receiver that fails twice, then succeeds, with jittered growing waits', async () => {
		const { runtime, waits, retries } = scripted(
			[answer(503), networkError, answer(200, { body: '{"received":true}' })],
			{ random: 0.5 },
		);
		const result = await deliver(policy, runtime);
		expect(result).toEqual({
			url: URL_,
			ok: true,
			status: 200,
			attempts: 3,
			durationMs: 3 * 10 + 500 + 1000,
			error: null,
			responseBody: '{"received":true}',
			history: [
				{ at: at(0), status: 503, error: 'HTTP 503' },
				{ at: at(10 + 500), status: null, error: 'Connection refused (ECONNREFUSED)' },
				{ at: at(20 + 500 + 1000), status: 200, error: null },
			],
		});
		expect(waits).toEqual([500, 1000]);
		expect(retries).toEqual([
			{ failedAttempt: 1, delayMs: 500, reason: 'HTTP 503' },
			{ failedAttempt: 2, delayMs: 1000, reason: 'Connection refused (ECONNREFUSED)' },
		]);
	});

	it.each([408, 425, 429, 500, 502, 504])('retries HTTP %i', async (status) => {
		const { runtime } = scripted([answer(status), answer(200)]);
		await expect(deliver(policy, runtime)).resolves.toMatchObject({
			ok: true,
			attempts: 2,
		});
	});

	it('waits exactly as long as Retry-After says', async () => {
		const { runtime, waits } = scripted([answer(429, { retryAfter: '1' }), answer(200)], {
			random: 0.99,
		});
		await deliver(policy, runtime);
		expect(waits).toEqual([1000]);
	});

	it('measures a Retry-After date from when the answer came', async () => {
		const { runtime, waits } = scripted(
			[answer(503, { retryAfter: new Date(START + 30_000).toUTCString() }), answer(200)],
			{
				attemptMs: 10,
			},
		);
		await deliver(policy, runtime);
		expect(waits).toEqual([30_000 - 10]);
	});

	it('caps a Retry-After beyond the maximum delay', async () => {
		const { runtime, waits } = scripted([answer(503, { retryAfter: '86400' }), answer(200)]);
		await deliver({ ...policy, maxDelayMs: 5000 }, runtime);
		expect(waits).toEqual([5000]);
	});

	it('falls back to the backoff when Retry-After is unreadable', async () => {
		const { runtime, waits } = scripted([answer(503, { retryAfter: 'whenever' }), answer(200)], {
			random: 0.25,
		});
		await deliver(policy, runtime);
		expect(waits).toEqual([250]);
	});

	it.each([400, 401, 403, 404, 410, 422])('never retries HTTP %i', async (status) => {
		const { runtime, waits, remaining } = scripted([answer(status), answer(200)]);
		await expect(deliver(policy, runtime)).resolves.toMatchObject({
			ok: false,
			status,
			attempts: 1,
			error: `HTTP ${status}`,
			responseBody: `answer ${status}`,
		});
		expect(waits).toEqual([]);
		expect(remaining).toHaveLength(1);
	});

	it('reports a redirect as a failure with a hint, without retrying', async () => {
		const { runtime } = scripted([answer(301)]);
		await expect(deliver(policy, runtime)).resolves.toMatchObject({
			ok: false,
			attempts: 1,
			error: 'HTTP 301: redirects are not followed, use the final URL',
		});
	});

	it('gives up after the last allowed attempt and reports the last answer', async () => {
		const { runtime, waits } = scripted(
			[answer(500), answer(502), answer(503, { body: 'still down' })],
			{ random: 0.999999 },
		);
		await expect(deliver({ ...policy, maxAttempts: 3 }, runtime)).resolves.toMatchObject({
			ok: false,
			status: 503,
			attempts: 3,
			error: 'HTTP 503',
			responseBody: 'still down',
		});
		expect(waits).toEqual([999, 1999]);
	});

	it('attempts once when retries are off', async () => {
		const { runtime } = scripted([answer(503)]);
		await expect(deliver({ ...policy, maxAttempts: 1 }, runtime)).resolves.toMatchObject({
			ok: false,
			attempts: 1,
		});
	});

	it('reports a network failure without a status or a body', async () => {
		const { runtime } = scripted([networkError, networkError]);
		await expect(deliver({ ...policy, maxAttempts: 2 }, runtime)).resolves.toMatchObject({
			ok: false,
			status: null,
			attempts: 2,
			error: 'Connection refused (ECONNREFUSED)',
			responseBody: null,
		});
	});

	it('reports the last outcome, not an earlier answer, when a network failure comes last', async () => {
		const { runtime } = scripted([answer(503), networkError]);
		await expect(deliver({ ...policy, maxAttempts: 2 }, runtime)).resolves.toMatchObject({
			status: null,
			responseBody: null,
		});
	});

	it('does not retry a failure that retrying cannot fix', async () => {
		const blocked: AttemptOutcome = {
			kind: 'failed',
			retryable: false,
			message: 'blocked by policy',
		};
		const { runtime } = scripted([blocked, answer(200)]);
		await expect(deliver(policy, runtime)).resolves.toMatchObject({
			ok: false,
			attempts: 1,
			error: 'blocked by policy',
		});
	});

	it('sends nothing when the execution was cancelled before the first attempt', async () => {
		const { runtime, cancel, remaining } = scripted([answer(200)]);
		cancel();
		await expect(deliver(policy, runtime)).resolves.toMatchObject({
			ok: false,
			attempts: 0,
			status: null,
			error: 'The execution was cancelled before this delivery succeeded',
		});
		expect(remaining).toHaveLength(1);
	});

	it('stops retrying when the execution is cancelled during a wait', async () => {
		const { runtime, waits, remaining } = scripted([answer(503), answer(503), answer(200)], {
			cancelAfterWaits: 1,
		});
		await expect(deliver(policy, runtime)).resolves.toMatchObject({
			ok: false,
			attempts: 2,
			status: 503,
			error: 'The execution was cancelled before this delivery succeeded',
		});
		expect(waits).toHaveLength(2);
		expect(remaining).toHaveLength(1);
	});

	it('stops when an attempt itself was cancelled', async () => {
		const { runtime, remaining } = scripted([{ kind: 'cancelled' }, answer(200)]);
		await expect(deliver(policy, runtime)).resolves.toMatchObject({
			ok: false,
			attempts: 1,
			error: 'The execution was cancelled before this delivery succeeded',
		});
		expect(remaining).toHaveLength(1);
	});

	describe('whether a later round could succeed', () => {
		const worthRetryingLater = async (outcomes: AttemptOutcome[], maxAttempts = 2) =>
			(await deliverWithRetries(URL_, { ...policy, maxAttempts }, scripted(outcomes).runtime))
				.worthRetryingLater;

		it('is so when every in-run attempt failed in a way retrying can fix', async () => {
			await expect(worthRetryingLater([answer(503), networkError])).resolves.toBe(true);
			await expect(worthRetryingLater([answer(429)], 1)).resolves.toBe(true);
		});

		it('is not so after a success, a final answer, a failure retrying cannot fix or a cancellation', async () => {
			await expect(worthRetryingLater([answer(503), answer(200)])).resolves.toBe(false);
			await expect(worthRetryingLater([answer(503), answer(400)])).resolves.toBe(false);
			const blocked: AttemptOutcome = { kind: 'failed', retryable: false, message: 'blocked' };
			await expect(worthRetryingLater([blocked])).resolves.toBe(false);
			await expect(worthRetryingLater([{ kind: 'cancelled' }])).resolves.toBe(false);
		});
	});
});
