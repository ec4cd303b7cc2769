import type { Delivery, DeliveryResult } from '../../../../lib/delivery/deliver';
import { settleRound, type Round, type RoundDelivery } from '../../../../lib/delivery/durable';
import { MAX_HISTORY, openRetryState, retryStateKey } from '../../../../lib/delivery/retryState';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const stateKey = retryStateKey(Buffer.from('signing key'));
const event = { id: 'evt-1', type: 'order.created', body: '{"data":{}}' };

function result(url: string, status: number | null, attempts = 1): DeliveryResult {
	const ok = status !== null && status < 300;
	const error = ok
		? null
		: status === null
			? 'Connection refused (ECONNREFUSED)'
			: `HTTP ${status}`;
	return {
		url,
		ok,
		status,
		attempts,
		durationMs: 5,
		error,
		responseBody: status === null ? null : 'answer',
		history: Array.from({ length: attempts }, (_, n) => ({ at: `t${n}`, status, error })),
	};
}

const to = (url: string) => ({ url, headers: { 'x-key': url } });
const delivered = (url: string): RoundDelivery => ({
	destination: to(url),
	delivery: { result: result(url, 200), worthRetryingLater: false },
});
const failing = (
	url: string,
	status: number | null,
	worthRetryingLater: boolean,
): RoundDelivery => ({
	destination: to(url),
	delivery: { result: result(url, status, 2), worthRetryingLater } satisfies Delivery,
});

const round = (deliveries: RoundDelivery[], extra: Partial<Round> = {}): Round => ({
	event,
	deliveries,
	roundsBefore: 0,
	delaysMs: [5000, 60_000],
	nowMs: NOW,
	stateKey,
	...extra,
});

describe('settleRound', () => {
	it('reports an event every destination took, with nothing owed', () => {
		const settled = settleRound(round([delivered('https://a/'), delivered('https://b/')]));
		expect(settled).toEqual({
			report: {
				eventId: 'evt-1',
				type: 'order.created',
				deliveries: [result('https://a/', 200), result('https://b/', 200)],
			},
			retry: null,
			finalFailures: [],
		});
	});

	it('owes the event to destinations worth retrying, due after the next wait, sealed', () => {
		const settled = settleRound(
			round([delivered('https://a/'), failing('https://b/', 503, true)], { roundsBefore: 1 }),
		);
		expect(settled.finalFailures).toEqual([]);
		expect(settled.report.deliveries.map((delivery) => delivery.ok)).toEqual([true, false]);
		expect(settled.retry).toMatchObject({
			eventId: 'evt-1',
			type: 'order.created',
			body: '{"data":{}}',
			round: 2,
			nextAttemptAt: new Date(NOW + 60_000).toISOString(),
			owed: [
				{
					url: 'https://b/',
					headers: { 'x-key': 'https://b/' },
					attempts: 2,
					history: result('https://b/', 503, 2).history,
				},
			],
		});
		expect(openRetryState(settled.retry, [stateKey], NOW + 60_000).kind).toBe('opened');
	});

	it('ends deliveries that failed for good at once, and keeps owing the others', () => {
		const settled = settleRound(
			round([failing('https://a/', 400, false), failing('https://b/', null, true)]),
		);
		expect(settled.finalFailures).toEqual([result('https://a/', 400, 2)]);
		expect(settled.retry?.owed.map((owed) => owed.url)).toEqual(['https://b/']);
	});

	it('ends owed deliveries when the schedule has no wait left, saying so', () => {
		const settled = settleRound(round([failing('https://b/', 503, true)], { roundsBefore: 2 }));
		expect(settled.retry).toBeNull();
		expect(settled.finalFailures).toEqual([
			{ ...result('https://b/', 503, 2), error: 'HTTP 503; no retry left after 3 rounds' },
		]);
		expect(settled.report.deliveries).toEqual(settled.finalFailures);
	});

	it('with an empty schedule, ends after the first round', () => {
		const settled = settleRound(round([failing('https://b/', 503, true)], { delaysMs: [] }));
		expect(settled.finalFailures[0].error).toBe('HTTP 503; no retry left after 1 round');
	});

	it('counts the attempts of earlier rounds and keeps the newest of their history', () => {
		const earlierHistory = Array.from({ length: MAX_HISTORY }, (_, n) => ({
			at: `earlier ${n}`,
			status: 503,
			error: 'HTTP 503',
		}));
		const settled = settleRound(
			round(
				[
					{
						...failing('https://b/', 503, true),
						earlier: { attempts: 30, history: earlierHistory },
					},
				],
				{
					roundsBefore: 2,
				},
			),
		);
		const [delivery] = settled.report.deliveries;
		expect(delivery.attempts).toBe(32);
		expect(delivery.history).toHaveLength(MAX_HISTORY);
		expect(delivery.history.slice(-3)).toEqual([
			earlierHistory[MAX_HISTORY - 1],
			...result('https://b/', 503, 2).history,
		]);
	});

	it('reports every destination across rounds: those that accepted earlier, and the time since the first attempt', () => {
		const a = result('https://a/', 200);
		const firstAttemptAt = new Date(NOW - 3_600_000).toISOString();
		const later = settleRound(
			round(
				[
					{
						...delivered('https://b/'),
						earlier: { attempts: 2, history: [], firstAttemptAt },
					},
				],
				{ roundsBefore: 1, deliveredBefore: [a] },
			),
		);
		expect(later.report.deliveries).toEqual([
			a,
			{ ...result('https://b/', 200), attempts: 3, durationMs: 3_600_000 },
		]);
		expect(later.retry).toBeNull();
	});

	it('carries into the retry state what accepted, and when each owed destination was first tried', () => {
		const owedFrom = (settled: ReturnType<typeof settleRound>) => settled.retry?.owed[0];
		const first = settleRound(round([delivered('https://a/'), failing('https://b/', 503, true)]));
		expect(first.retry?.delivered).toEqual([result('https://a/', 200)]);
		// This round's attempts name no parseable time here: its start is now less its duration.
		expect(owedFrom(first)?.firstAttemptAt).toBe(new Date(NOW - 5).toISOString());
		const since = '2026-11-23T08:00:00.000Z';
		const second = settleRound(
			round(
				[
					{
						...failing('https://b/', 503, true),
						earlier: { attempts: 2, history: [], firstAttemptAt: since },
					},
				],
				{ roundsBefore: 1, deliveredBefore: first.retry?.delivered },
			),
		);
		expect(owedFrom(second)?.firstAttemptAt).toBe(since);
		expect(second.retry?.delivered).toEqual([result('https://a/', 200)]);
		expect(second.report.deliveries.map(({ url }) => url)).toEqual(['https://a/', 'https://b/']);
	});
});
