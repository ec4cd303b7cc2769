import {
	eventEnvelope,
	serializeEvent,
	TEST_EVENT_DATA,
	TEST_EVENT_TYPE,
	testEventFormat,
	type OutgoingEvent,
} from '../../../../lib/delivery/envelope';
import { normalizeEvent } from '../../../../lib/events/normalize';

const event: OutgoingEvent = {
	id: 'evt_1',
	type: 'technology.end',
	data: { technology_code: 'ocr', pages: 3 },
	occurredAt: new Date('2026-11-23T10:00:00.750Z'),
	flow: { sessionId: 'sess_9', flowName: 'Invoices', success: false, metadata: { region: 'eu' } },
};

describe('eventEnvelope', () => {
	it('lays out a Standard Webhooks event as type, ISO timestamp and data', () => {
		expect(eventEnvelope('standardWebhooks', event)).toEqual({
			type: 'technology.end',
			timestamp: '2026-11-23T10:00:00.750Z',
			data: { technology_code: 'ocr', pages: 3 },
		});
	});

	it('lays out a flow session event with every field, created in whole Unix seconds', () => {
		expect(eventEnvelope('flowSession', event)).toEqual({
			id: 'evt_1',
			event: 'technology.end',
			session_id: 'sess_9',
			created: 1795428000,
			success: false,
			flow_name: 'Invoices',
			metadata: { region: 'eu' },
			data: { technology_code: 'ocr', pages: 3 },
		});
	});

	it("sends the item's JSON as is", () => {
		expect(eventEnvelope('itemJson', { ...event, data: { any: ['shape'] } })).toEqual({
			any: ['shape'],
		});
	});

	it('refuses a flow session event without its session fields', () => {
		expect(() => eventEnvelope('flowSession', { ...event, flow: undefined })).toThrow(TypeError);
	});

	it('produces flow session events that a strict Flow Webhook Trigger accepts', () => {
		const body = JSON.parse(serialized('flowSession', event));
		expect(
			normalizeEvent(body, { typeField: 'auto', idField: 'id', strictFlowEvents: true }),
		).toMatchObject({
			kind: 'event',
			event: {
				id: 'evt_1',
				event: 'technology.end',
				sessionId: 'sess_9',
				flowName: 'Invoices',
				success: false,
			},
		});
	});
});

/** The body of an event that serialises. */
function serialized(...args: Parameters<typeof serializeEvent>): string {
	const result = serializeEvent(...args);
	if (result.kind !== 'serialized') throw new Error(result.message);
	return result.body;
}

describe('serializeEvent', () => {
	it('serialises once to compact JSON that parses back to the envelope', () => {
		const text = serialized('standardWebhooks', event);
		expect(text).toBe(
			'{"type":"technology.end","timestamp":"2026-11-23T10:00:00.750Z","data":{"technology_code":"ocr","pages":3}}',
		);
		expect(JSON.parse(text)).toEqual(eventEnvelope('standardWebhooks', event));
	});

	it('keeps non-ASCII text as it is', () => {
		expect(serialized('itemJson', { ...event, data: { name: 'Zoë ✓ 東京' } })).toBe(
			'{"name":"Zoë ✓ 東京"}',
		);
	});

	it('refuses data JSON cannot express', () => {
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		expect(serializeEvent('itemJson', { ...event, data: circular })).toEqual({
			kind: 'unserializable',
			message: expect.stringContaining('circular structure'),
		});
		expect(serializeEvent('itemJson', { ...event, data: { big: BigInt(1) } })).toEqual({
			kind: 'unserializable',
			message: expect.stringContaining('BigInt'),
		});
		expect(serializeEvent('itemJson', { ...event, data: undefined })).toEqual({
			kind: 'unserializable',
			message: expect.stringContaining('nothing to send'),
		});
	});
});

describe('test events', () => {
	it('are ping events with an explanatory message', () => {
		expect(TEST_EVENT_TYPE).toBe('ping');
		expect(TEST_EVENT_DATA.message).toMatch(/Notify/);
	});

	it('keep the chosen format, except item JSON, which has no item to send', () => {
		expect(testEventFormat('standardWebhooks')).toBe('standardWebhooks');
		expect(testEventFormat('flowSession')).toBe('flowSession');
		expect(testEventFormat('itemJson')).toBe('standardWebhooks');
	});
});
