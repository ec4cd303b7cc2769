import { normalizeEvent, readPath, toIsoTime } from '../../../../lib/events/normalize';

const lenient = { typeField: 'auto', idField: 'id', strictFlowEvents: false };
const strict = { ...lenient, strictFlowEvents: true };

const flowSession = {
	id: 'evt_1',
	event: 'technology.start',
	session_id: 'sess_1',
	created: 1700000000,
	success: true,
	flow_name: 'Checkout',
	metadata: { region: 'eu' },
	data: { technology_code: 'ocr' },
};

describe('normalizeEvent', () => {
	it('reads a flow session event', () => {
		expect(normalizeEvent(flowSession, lenient)).toEqual({
			kind: 'event',
			event: {
				id: 'evt_1',
				event: 'technology.start',
				sessionId: 'sess_1',
				flowName: 'Checkout',
				success: true,
				created: '2023-11-14T22:13:20.000Z',
				metadata: { region: 'eu' },
				data: { technology_code: 'ocr' },
			},
		});
	});

	it('reads a Standard Webhooks payload { type, timestamp, data }', () => {
		const result = normalizeEvent(
			{ type: 'invoice.paid', timestamp: '2024-05-01T10:00:00Z', data: { n: 1 } },
			lenient,
		);
		expect(result).toMatchObject({
			kind: 'event',
			event: {
				event: 'invoice.paid',
				created: '2024-05-01T10:00:00.000Z',
				data: { n: 1 },
				id: undefined,
			},
		});
	});

	it('reads an { id, event_type, payload, timestamp } payload', () => {
		const result = normalizeEvent(
			{ id: 42, event_type: 'user.created', payload: { u: 'x' }, timestamp: 1700000000000 },
			lenient,
		);
		expect(result).toMatchObject({
			kind: 'event',
			event: {
				id: '42',
				event: 'user.created',
				data: { u: 'x' },
				created: '2023-11-14T22:13:20.000Z',
			},
		});
	});

	it('tries event, then type, then event_type in auto mode', () => {
		expect(normalizeEvent({ type: 'b', event_type: 'c' }, lenient)).toMatchObject({
			event: { event: 'b' },
		});
		expect(normalizeEvent({ event: '', type: 'b' }, lenient)).toMatchObject({
			event: { event: 'b' },
		});
	});

	it('reads the type and id from configured dotted paths', () => {
		const options = { ...lenient, typeField: 'meta.kind', idField: 'meta.uid' };
		expect(normalizeEvent({ meta: { kind: 'k', uid: 'u' } }, options)).toMatchObject({
			event: { event: 'k', id: 'u' },
		});
	});

	it('fills absent optional fields with null', () => {
		expect(normalizeEvent({ type: 't' }, lenient)).toMatchObject({
			event: {
				sessionId: null,
				flowName: null,
				success: null,
				created: null,
				metadata: null,
				data: null,
			},
		});
	});

	it.each([
		['an array', [1, 2]],
		['a string', 'flow.start'],
		['null', null],
	])('refuses %s as the body', (_, body) => {
		expect(normalizeEvent(body, lenient)).toMatchObject({ kind: 'invalid', fields: ['body'] });
	});

	it('refuses an event without a type, saying where it looked', () => {
		expect(normalizeEvent({ id: 'x' }, lenient)).toEqual({
			kind: 'invalid',
			fields: ['event, type, event_type'],
			message: 'The event type is missing (looked in: event, type, event_type).',
		});
	});

	describe('strict flow events', () => {
		it('accepts a complete flow session event', () => {
			expect(normalizeEvent(flowSession, strict).kind).toBe('event');
		});

		it('lists every missing or invalid field', () => {
			expect(
				normalizeEvent({ event: 'technology.end', created: '1700000000' }, strict),
			).toMatchObject({
				kind: 'invalid',
				fields: ['session_id', 'created', 'data.technology_code'],
			});
		});

		it.each([
			['an unknown event type', { event: 'flow.paused' }, ['event']],
			['a fractional created', { created: 1.5 }, ['created']],
			['a negative created', { created: -1 }, ['created']],
			['an empty session_id', { session_id: ' ' }, ['session_id']],
		])('refuses %s', (_, change, fields) => {
			expect(normalizeEvent({ ...flowSession, ...change }, strict)).toMatchObject({
				kind: 'invalid',
				fields,
			});
		});
	});
});

describe("normalizeEvent with a sender's own type fields", () => {
	const slackLike = { ...lenient, autoTypeFields: ['event.type', 'command', 'type'] };
	const envelope = { type: 'event_callback', event: { type: 'app_mention' } };

	it('tries them in order while the type field is auto', () => {
		expect(normalizeEvent(envelope, slackLike)).toMatchObject({ event: { event: 'app_mention' } });
		expect(normalizeEvent({ command: '/deploy' }, slackLike)).toMatchObject({
			event: { event: '/deploy' },
		});
		// Without them, auto stops at "type": "event" is an object.
		expect(normalizeEvent(envelope, lenient)).toMatchObject({ event: { event: 'event_callback' } });
	});

	it('gives way to a field the user names', () => {
		expect(normalizeEvent(envelope, { ...slackLike, typeField: 'type' })).toMatchObject({
			event: { event: 'event_callback' },
		});
	});

	it('names them when none holds a type', () => {
		expect(normalizeEvent({ text: 'hi' }, slackLike)).toEqual({
			kind: 'invalid',
			fields: ['event.type, command, type'],
			message: 'The event type is missing (looked in: event.type, command, type).',
		});
	});
});

describe("normalizeEvent with a sender's own id fields", () => {
	const withIdFields = { ...lenient, autoIdFields: ['event_id', 'trigger_id'] };

	it('takes the first of them the body holds', () => {
		const both = { type: 'x', event_id: 'Ev1', trigger_id: 'T1' };
		expect(normalizeEvent(both, withIdFields)).toMatchObject({ event: { id: 'Ev1' } });
		expect(normalizeEvent({ type: 'x', trigger_id: 'T1' }, withIdFields)).toMatchObject({
			event: { id: 'T1' },
		});
	});

	it('leaves the id undefined when none holds one, and comes after a header id', () => {
		expect(normalizeEvent({ type: 'x', id: 'ignored' }, withIdFields)).toMatchObject({
			event: { id: undefined },
		});
		expect(
			normalizeEvent({ type: 'x', event_id: 'Ev1' }, withIdFields, { id: 'from-header' }),
		).toMatchObject({ event: { id: 'from-header' } });
	});
});

describe('toIsoTime', () => {
	it.each([
		[1700000000, '2023-11-14T22:13:20.000Z'],
		[1700000000123, '2023-11-14T22:13:20.123Z'],
		['1700000000', '2023-11-14T22:13:20.000Z'],
		['2024-01-02T03:04:05+01:00', '2024-01-02T02:04:05.000Z'],
		['not a date', null],
		[undefined, null],
		[Number.NaN, null],
	])('%p → %p', (input, expected) => {
		expect(toIsoTime(input)).toBe(expected);
	});
});

describe('readPath', () => {
	it('stops safely at non-objects', () => {
		expect(readPath({ a: 'text' }, 'a.b.c')).toBeUndefined();
		expect(readPath({ a: { b: 0 } }, 'a.b')).toBe(0);
	});
});
