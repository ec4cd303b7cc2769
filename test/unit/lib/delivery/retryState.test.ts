import { createHmac } from 'node:crypto';

import {
	boundedHistory,
	EARLY_ARRIVAL_TOLERANCE_MS,
	MAX_HISTORY,
	openRetryState,
	retryStateKey,
	sealRetryState,
	type RetryState,
	type UnsealedRetryState,
} from '../../../../lib/delivery/retryState';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const key = retryStateKey(Buffer.from('current signing key'));
const previousKey = retryStateKey(Buffer.from('previous signing key'));

const unsealed: UnsealedRetryState = {
	eventId: 'evt-1',
	type: 'order.created',
	body: '{"type":"order.created","data":{"order":1}}',
	round: 1,
	nextAttemptAt: new Date(NOW).toISOString(),
	owed: [
		{
			url: 'https://a.example/hook',
			headers: { 'x-api-key': 'k', accept: 'application/json' },
			attempts: 2,
			history: [
				{ at: '2026-11-23T09:59:00.000Z', status: 503, error: 'HTTP 503' },
				{
					at: '2026-11-23T09:59:01.000Z',
					status: null,
					error: 'Connection refused (ECONNREFUSED)',
				},
			],
			firstAttemptAt: '2026-11-23T09:59:00.000Z',
		},
	],
	delivered: [
		{
			url: 'https://b.example/hook',
			ok: true,
			status: 200,
			attempts: 1,
			durationMs: 12,
			error: null,
			responseBody: 'ok',
			history: [{ at: '2026-11-23T09:59:00.000Z', status: 200, error: null }],
		},
	],
};
const sealed = () => sealRetryState(unsealed, key);
const without = (state: Record<string, unknown>, field: string) =>
	Object.fromEntries(Object.entries(state).filter(([name]) => name !== field));
/** The state as it comes back from n8n: plain JSON, parsed again. */
const roundTrip = (state: unknown) => JSON.parse(JSON.stringify(state)) as Record<string, unknown>;

describe('retry state', () => {
	it('opens what it sealed, after a trip through JSON', () => {
		const state = sealed();
		expect(state).toMatchObject({ version: 2, ...unsealed, seal: expect.any(String) });
		expect(openRetryState(roundTrip(state), [key], NOW)).toEqual({ kind: 'opened', state });
	});

	it('opens a state sealed by the previous version (1), still waiting in executions after an upgrade', () => {
		const { eventId, type, body, round, nextAttemptAt } = unsealed;
		const rest = { eventId, type, body, round, nextAttemptAt };
		const owed = unsealed.owed.map(({ url, headers, attempts, history }) => ({
			url,
			headers,
			attempts,
			history,
		}));
		// Version 1 sealed these fields, in this order, and nothing else.
		const content = JSON.stringify([
			1,
			rest.eventId,
			rest.type,
			rest.body,
			rest.round,
			rest.nextAttemptAt,
			owed.map((destination) => [
				destination.url,
				Object.entries(destination.headers).sort(([a], [b]) => (a < b ? -1 : 1)),
				destination.attempts,
				destination.history.map((record) => [record.at, record.status, record.error]),
			]),
		]);
		const seal = createHmac('sha256', key).update(content).digest('base64url');
		const version1 = { version: 1, ...rest, owed, seal };
		expect(openRetryState(roundTrip(version1), [key], NOW)).toEqual({
			kind: 'opened',
			state: version1,
		});
		expect(openRetryState({ ...version1, round: 2 }, [key], NOW).kind).toBe('refused');
	});

	it('does not mind the order of header names or JSON keys', () => {
		const state = roundTrip(sealed()) as RetryState;
		const [owed] = state.owed;
		const reordered = {
			...state,
			owed: [
				{
					firstAttemptAt: owed.firstAttemptAt,
					history: owed.history,
					attempts: owed.attempts,
					headers: { accept: owed.headers.accept, 'x-api-key': 'k' },
					url: owed.url,
				},
			],
		};
		expect(openRetryState(reordered, [key], NOW).kind).toBe('opened');
	});

	it('opens a state sealed with the previous secret during a rotation', () => {
		const state = sealRetryState(unsealed, previousKey);
		expect(openRetryState(state, [key, previousKey], NOW).kind).toBe('opened');
		expect(openRetryState(state, [key], NOW)).toEqual({
			kind: 'refused',
			message:
				"The item's retry state was changed after Notify wrote it, or was sealed with another signing secret; Notify does not send it.",
		});
	});

	it.each<[string, (state: Record<string, unknown>) => unknown]>([
		['the body', (state) => ({ ...state, body: '{"type":"order.created","data":{"order":2}}' })],
		['the event id', (state) => ({ ...state, eventId: 'evt-2' })],
		['the type', (state) => ({ ...state, type: 'order.paid' })],
		['the round', (state) => ({ ...state, round: 0 + 1 + 1 })],
		[
			'the next attempt time',
			(state) => ({ ...state, nextAttemptAt: new Date(NOW - 1000).toISOString() }),
		],
		[
			'a URL',
			(state) => ({
				...state,
				owed: [{ ...(state.owed as object[])[0], url: 'https://evil.example/' }],
			}),
		],
		[
			'a header',
			(state) => ({
				...state,
				owed: [{ ...(state.owed as object[])[0], headers: { 'x-api-key': 'other' } }],
			}),
		],
		[
			'the attempt count',
			(state) => ({ ...state, owed: [{ ...(state.owed as object[])[0], attempts: 1 }] }),
		],
		[
			'the history',
			(state) => ({ ...state, owed: [{ ...(state.owed as object[])[0], history: [] }] }),
		],
		['the seal', (state) => ({ ...state, seal: 'AAAA' })],
	])('refuses a state whose %s was changed', (_, tamper) => {
		const opened = openRetryState(tamper(roundTrip(sealed())), [key], NOW);
		expect(opened).toEqual({
			kind: 'refused',
			message: expect.stringContaining('was changed after Notify wrote it'),
		});
	});

	it('refuses a state made up without the key', () => {
		const forged = sealRetryState({ ...unsealed, body: '{"forged":true}' }, retryStateKey(null));
		expect(openRetryState(forged, [key], NOW).kind).toBe('refused');
	});

	it.each<[string, unknown]>([
		['undefined', undefined],
		['null', null],
		['a string', 'state'],
		['an array', []],
	])('refuses a missing state (%s)', (_, value) => {
		expect(openRetryState(value, [key], NOW)).toEqual({
			kind: 'refused',
			message: 'The item has no retry state (its retry field is not an object).',
		});
	});

	it.each<[string, (state: Record<string, unknown>) => unknown]>([
		['version', (state) => without(state, 'version')],
		['version', (state) => ({ ...state, version: 3 })],
		[
			'owed',
			(state) => ({
				...state,
				owed: [without((state.owed as Record<string, unknown>[])[0], 'firstAttemptAt')],
			}),
		],
		['delivered', (state) => without(state, 'delivered')],
		[
			'delivered',
			(state) => ({ ...state, delivered: [{ url: 'https://b.example/hook', ok: false }] }),
		],
		['eventId', (state) => ({ ...state, eventId: '' })],
		['type', (state) => ({ ...state, type: 7 })],
		['body', (state) => without(state, 'body')],
		['round', (state) => ({ ...state, round: 0 })],
		['round', (state) => ({ ...state, round: 1.5 })],
		['nextAttemptAt', (state) => ({ ...state, nextAttemptAt: 'soon' })],
		['owed', (state) => ({ ...state, owed: [] })],
		[
			'owed',
			(state) => ({ ...state, owed: Array.from({ length: 6 }, () => (state.owed as object[])[0]) }),
		],
		['owed', (state) => ({ ...state, owed: [{ url: 'https://a.example/hook' }] })],
		[
			'owed',
			(state) => ({ ...state, owed: [{ ...(state.owed as object[])[0], headers: { a: 1 } }] }),
		],
		[
			'owed',
			(state) => ({ ...state, owed: [{ ...(state.owed as object[])[0], history: [{ at: 1 }] }] }),
		],
		[
			'owed',
			(state) => ({
				...state,
				owed: [
					{
						...(state.owed as object[])[0],
						history: Array.from({ length: MAX_HISTORY + 1 }, () => ({
							at: 'x',
							status: null,
							error: null,
						})),
					},
				],
			}),
		],
		['seal', (state) => without(state, 'seal')],
	])('refuses an incomplete state (field %s)', (field, damage) => {
		expect(openRetryState(damage(roundTrip(sealed())), [key], NOW)).toEqual({
			kind: 'refused',
			message: `The item's retry state is incomplete or malformed (field "${field}"); Notify does not send it.`,
		});
	});

	it('refuses an item that arrives before its time (no Wait node in the loop), within a tolerance for clock drift', () => {
		const state = sealed();
		const early = NOW - EARLY_ARRIVAL_TOLERANCE_MS - 1;
		expect(openRetryState(state, [key], early)).toEqual({
			kind: 'refused',
			message: expect.stringContaining('arrived before its next attempt time'),
		});
		expect(openRetryState(state, [key], NOW - EARLY_ARRIVAL_TOLERANCE_MS).kind).toBe('opened');
	});

	it('keeps the newest attempts of the history', () => {
		const record = (n: number) => ({ at: String(n), status: 503, error: 'HTTP 503' });
		const earlier = Array.from({ length: MAX_HISTORY }, (_, n) => record(n));
		const latest = [record(100), record(101)];
		expect(boundedHistory(earlier, latest)).toEqual([...earlier.slice(2), ...latest]);
		expect(boundedHistory([], latest)).toEqual(latest);
	});
});
