import { createHmac } from 'node:crypto';

import {
	handleIngest,
	type IngestConfig,
	type IngestContext,
} from '../../../../lib/ingest/handleIngest';
import { emptyLedger, settle } from '../../../../lib/store/dedup';
import { eventKey } from '../../../../lib/store/eventKeys';
import { signedRequest, whsec } from '../../../support/events.cjs';

const signer = whsec('unit test signing material 32by');
const NOW = 1_700_000_000;

const baseConfig: IngestConfig = {
	verification: { scheme: { kind: 'standardWebhooks' }, secrets: [signer], toleranceSeconds: 300 },
	maxBodyBytes: 1024,
	normalize: { typeField: 'auto', idField: 'id', strictFlowEvents: false },
	filter: { types: [], patterns: [] },
	dedup: { retentionSeconds: 3600, maxEntries: 100 },
};

function context(overrides: Partial<IngestContext> = {}): IngestContext {
	return { now: NOW, ledger: emptyLedger(), newId: () => 'generated-id', ...overrides };
}

const signed = (body: string, id = 'msg_1', contentType = 'application/json') =>
	signedRequest(body, { id, secret: signer, at: new Date(NOW * 1000), contentType });

describe('handleIngest', () => {
	it('accepts a signed event with 202 and the signature id', () => {
		const outcome = handleIngest(
			signed('{"type":"flow.start","id":"body-id"}'),
			baseConfig,
			context(),
		);
		expect(outcome).toMatchObject({
			kind: 'accepted',
			answer: { status: 202, body: { received: true, id: 'msg_1' } },
			events: [
				{
					event: { id: 'msg_1', event: 'flow.start' },
					body: { type: 'flow.start', id: 'body-id' },
				},
			],
		});
	});

	it('refuses an oversized body with 413 before checking anything else', () => {
		const outcome = handleIngest(
			{ headers: {}, rawBody: Buffer.alloc(1025) },
			baseConfig,
			context(),
		);
		expect(outcome.answer).toEqual({
			status: 413,
			body: { error: 'payload_too_large', message: 'The body is larger than 1024 bytes.' },
		});
	});

	it('checks the signature before parsing, so unsigned garbage gets 401, not 400', () => {
		const outcome = handleIngest(
			{ headers: { 'content-type': 'application/json' }, rawBody: Buffer.from('{oops') },
			baseConfig,
			context(),
		);
		expect(outcome.answer).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
	});

	it.each([
		['text/plain', '{"type":"a"}'],
		['application/xml', '<a/>'],
	])('refuses a %s body with 400 invalid_json', (contentType, body) => {
		expect(
			handleIngest(signed(body, 'm', contentType), baseConfig, context()).answer,
		).toMatchObject({ status: 400, body: { error: 'invalid_json' } });
	});

	it('refuses malformed JSON with 400 invalid_json', () => {
		expect(
			handleIngest(signed('{"type":', 'm', 'application/cloudevents+json'), baseConfig, context())
				.answer,
		).toMatchObject({
			status: 400,
			body: { error: 'invalid_json', message: 'The body is not valid JSON.' },
		});
	});

	it('refuses an event without a type with 422 listing the fields', () => {
		expect(handleIngest(signed('{"id":"x"}'), baseConfig, context()).answer).toMatchObject({
			status: 422,
			body: { error: 'invalid_event', fields: ['event, type, event_type'] },
		});
	});

	it('answers filtered-out events 200 ignored without claiming them', () => {
		const ledger = emptyLedger();
		const config = { ...baseConfig, filter: { types: ['flow.start'], patterns: [] } };
		const outcome = handleIngest(signed('{"type":"flow.end"}'), config, context({ ledger }));
		expect(outcome).toMatchObject({
			kind: 'ignored',
			answer: { status: 200, body: { received: true, ignored: true } },
		});
		expect(ledger).toEqual(emptyLedger());
	});

	it('claims an accepted id as in flight, not yet as stored', () => {
		const ledger = emptyLedger();
		const outcome = handleIngest(
			signed('{"type":"a"}', 'msg_new'),
			baseConfig,
			context({ ledger }),
		);
		expect(outcome).toMatchObject({
			kind: 'accepted',
			events: [{ claimedKey: eventKey('msg_new') }],
		});
		expect(ledger).toEqual({ ...emptyLedger(), inFlight: new Set([eventKey('msg_new')]) });
	});

	it('answers a delivery of an event still being stored 409 with Retry-After, never 2xx', () => {
		const ledger = emptyLedger();
		handleIngest(signed('{"type":"a"}', 'msg_busy'), baseConfig, context({ ledger }));
		const again = handleIngest(signed('{"type":"a"}', 'msg_busy'), baseConfig, context({ ledger }));
		expect(again).toMatchObject({
			kind: 'in_flight',
			answer: {
				status: 409,
				body: { error: 'delivery_in_progress' },
				headers: { 'Retry-After': '1' },
			},
		});
	});

	it('answers a redelivery 200 duplicate once the first run is stored', () => {
		const ledger = emptyLedger();
		handleIngest(signed('{"type":"a"}', 'msg_dup'), baseConfig, context({ ledger }));
		settle(ledger, eventKey('msg_dup'), true, NOW, baseConfig.dedup!);
		const again = handleIngest(signed('{"type":"a"}', 'msg_dup'), baseConfig, context({ ledger }));
		expect(again).toMatchObject({
			kind: 'duplicate',
			answer: { status: 200, body: { received: true, duplicate: true } },
		});
	});

	it('accepts a redelivery again when the first run could not be stored', () => {
		const ledger = emptyLedger();
		handleIngest(signed('{"type":"a"}', 'msg_lost'), baseConfig, context({ ledger }));
		settle(ledger, eventKey('msg_lost'), false, NOW, baseConfig.dedup!);
		const again = handleIngest(signed('{"type":"a"}', 'msg_lost'), baseConfig, context({ ledger }));
		expect(again).toMatchObject({
			kind: 'accepted',
			events: [{ claimedKey: eventKey('msg_lost') }],
		});
	});

	it('accepts repeats when duplicate detection is off', () => {
		const config = { ...baseConfig, dedup: null };
		const ledger = emptyLedger();
		handleIngest(signed('{"type":"a"}', 'same'), config, context({ ledger }));
		expect(handleIngest(signed('{"type":"a"}', 'same'), config, context({ ledger }))).toMatchObject(
			{ kind: 'accepted', events: [{ claimedKey: undefined }] },
		);
		expect(ledger).toEqual(emptyLedger());
	});

	it('without verification, takes the id from the body, or generates one', () => {
		const config = { ...baseConfig, verification: null };
		const json = (body: string) => ({
			headers: { 'content-type': 'application/json' },
			rawBody: Buffer.from(body),
		});
		expect(handleIngest(json('{"type":"a","id":"from-body"}'), config, context())).toMatchObject({
			events: [{ event: { id: 'from-body' } }],
		});
		expect(handleIngest(json('{"type":"a"}'), config, context())).toMatchObject({
			kind: 'accepted',
			events: [{ event: { id: 'generated-id' } }],
		});
	});

	it('never claims generated ids, so id-less events are never duplicates', () => {
		const config = { ...baseConfig, verification: null };
		const ledger = emptyLedger();
		const request = { headers: {}, rawBody: Buffer.from('{"type":"a"}') };
		handleIngest(request, config, context({ ledger }));
		expect(handleIngest(request, config, context({ ledger }))).toMatchObject({
			kind: 'accepted',
			events: [{ claimedKey: undefined }],
		});
		expect(ledger).toEqual(emptyLedger());
	});

	describe('event type and id in headers', () => {
		const unsigned = {
			...baseConfig,
			verification: null,
			normalize: { ...baseConfig.normalize, typeHeaders: ['X-Topic'], idHeaders: ['X-Delivery'] },
		};
		const request = (headers: Record<string, string>, body = '{"id":"body-id"}') => ({
			headers: { 'content-type': 'application/json', ...headers },
			rawBody: Buffer.from(body),
		});

		it('reads the type and id from the headers before the body', () => {
			const outcome = handleIngest(
				request({ 'x-topic': 'orders/create', 'x-delivery': 'd-1' }, '{"type":"b","id":"x"}'),
				unsigned,
				context(),
			);
			expect(outcome).toMatchObject({
				kind: 'accepted',
				events: [{ event: { event: 'orders/create', id: 'd-1' } }],
			});
		});

		it('falls back to the body when the headers are absent', () => {
			const outcome = handleIngest(request({}, '{"type":"b","id":"x"}'), unsigned, context());
			expect(outcome).toMatchObject({ events: [{ event: { event: 'b', id: 'x' } }] });
		});

		it('names the header first where it looked for a missing type', () => {
			expect(handleIngest(request({}), unsigned, context()).answer).toMatchObject({
				status: 422,
				body: { fields: ['the X-Topic header, event, type, event_type'] },
			});
		});

		it('filters and drops duplicates by the header type and id', () => {
			const ledger = emptyLedger();
			const filtered = { ...unsigned, filter: { types: ['orders/create'], patterns: [] } };
			const first = handleIngest(
				request({ 'x-topic': 'orders/create', 'x-delivery': 'd-2' }),
				filtered,
				context({ ledger }),
			);
			expect(first).toMatchObject({ kind: 'accepted' });
			settle(ledger, eventKey('d-2'), true, NOW, baseConfig.dedup!);
			const again = request({ 'x-topic': 'orders/create', 'x-delivery': 'd-2' });
			expect(handleIngest(again, filtered, context({ ledger })).kind).toBe('duplicate');
			const other = request({ 'x-topic': 'orders/paid', 'x-delivery': 'd-3' });
			expect(handleIngest(other, filtered, context({ ledger })).kind).toBe('ignored');
		});
	});

	describe('JSON arrays', () => {
		const unsigned = { ...baseConfig, verification: null };
		const batch = (elements: unknown[], headers: Record<string, string> = {}) => ({
			headers: { 'content-type': 'application/json', ...headers },
			rawBody: Buffer.from(JSON.stringify(elements)),
		});

		it('accepts one event per element, each with its own id, and answers every id', () => {
			const outcome = handleIngest(
				batch([
					{ type: 'a', id: 'one' },
					{ type: 'b', id: 'two' },
				]),
				unsigned,
				context(),
			);
			expect(outcome).toMatchObject({
				kind: 'accepted',
				answer: { status: 202, body: { received: true, ids: ['one', 'two'] } },
				events: [
					{
						event: { event: 'a', id: 'one' },
						body: { type: 'a', id: 'one' },
						claimedKey: eventKey('one'),
					},
					{
						event: { event: 'b', id: 'two' },
						body: { type: 'b', id: 'two' },
						claimedKey: eventKey('two'),
					},
				],
			});
		});

		it("names an element without an id by the request's id and its position", () => {
			const config = {
				...unsigned,
				normalize: { ...unsigned.normalize, idHeaders: ['X-Delivery'] },
			};
			const outcome = handleIngest(
				batch([{ type: 'a' }, { type: 'a', id: 'own' }], { 'x-delivery': 'req' }),
				config,
				context(),
			);
			expect(outcome).toMatchObject({ answer: { body: { ids: ['req:0', 'own'] } } });
		});

		it('drops the elements already run and filtered out, and runs the rest', () => {
			const ledger = emptyLedger();
			handleIngest(batch([{ type: 'a', id: 'old' }]), unsigned, context({ ledger }));
			settle(ledger, eventKey('old'), true, NOW, baseConfig.dedup!);
			const config = { ...unsigned, filter: { types: ['a'], patterns: [] } };
			const outcome = handleIngest(
				batch([
					{ type: 'a', id: 'old' },
					{ type: 'z', id: 'other' },
					{ type: 'a', id: 'new' },
				]),
				config,
				context({ ledger }),
			);
			expect(outcome).toMatchObject({ kind: 'accepted', answer: { body: { ids: ['new'] } } });
		});

		it('answers 200 duplicate when every element was run already', () => {
			const ledger = emptyLedger();
			const request = batch([
				{ type: 'a', id: 'p' },
				{ type: 'a', id: 'q' },
			]);
			handleIngest(request, unsigned, context({ ledger }));
			for (const id of ['p', 'q']) settle(ledger, eventKey(id), true, NOW, baseConfig.dedup!);
			expect(handleIngest(request, unsigned, context({ ledger })).kind).toBe('duplicate');
		});

		it('answers 409 and gives back its claims when one element is being stored', () => {
			const ledger = emptyLedger();
			handleIngest(batch([{ type: 'a', id: 'busy' }]), unsigned, context({ ledger }));
			const outcome = handleIngest(
				batch([
					{ type: 'a', id: 'fresh' },
					{ type: 'a', id: 'busy' },
				]),
				unsigned,
				context({ ledger }),
			);
			expect(outcome.answer).toMatchObject({ status: 409 });
			expect(ledger.inFlight).toEqual(new Set([eventKey('busy')]));
		});

		it('refuses the whole request with 422 naming the element when one is not an event', () => {
			const outcome = handleIngest(batch([{ type: 'a' }, { id: 'no type' }]), unsigned, context());
			expect(outcome.answer).toMatchObject({
				status: 422,
				body: { error: 'invalid_event', fields: ['[1].event, type, event_type'] },
			});
			expect(
				handleIngest(batch([{ type: 'a' }, 'text']), unsigned, context()).answer,
			).toMatchObject({ status: 422, body: { fields: ['[1]'] } });
			expect(handleIngest(batch([]), unsigned, context()).answer).toMatchObject({ status: 422 });
		});
	});

	describe('form bodies', () => {
		it('accepts a signed form body as an object of its fields, over the exact bytes', () => {
			const form = 'type=command&text=hello+world&channel=a&channel=b';
			const outcome = handleIngest(
				signed(form, 'msg_form', 'application/x-www-form-urlencoded; charset=utf-8'),
				baseConfig,
				context(),
			);
			expect(outcome).toMatchObject({
				kind: 'accepted',
				events: [
					{
						event: { event: 'command', id: 'msg_form' },
						body: { type: 'command', text: 'hello world', channel: ['a', 'b'] },
					},
				],
			});
		});

		it("keeps a form's payload field as text for a sender whose profile reads no JSON from it", () => {
			const form = new URLSearchParams({ type: 'command', payload: '{"type":"inner"}' });
			const outcome = handleIngest(
				signed(form.toString(), 'msg_payload', 'application/x-www-form-urlencoded'),
				baseConfig,
				context(),
			);
			expect(outcome).toMatchObject({
				kind: 'accepted',
				events: [{ event: { event: 'command' }, body: { payload: '{"type":"inner"}' } }],
			});
		});
	});

	describe('shared token', () => {
		const config = {
			...baseConfig,
			verification: {
				scheme: { kind: 'token' as const, header: 'X-Gitlab-Token' },
				secrets: ['the-token'],
				toleranceSeconds: 300,
			},
		};
		const request = (headers: Record<string, string>) => ({
			headers: { 'content-type': 'application/json', ...headers },
			rawBody: Buffer.from('{"object_kind":"push","type":"push"}'),
		});

		it('accepts the token and refuses a wrong or missing one with 401', () => {
			expect(handleIngest(request({ 'x-gitlab-token': 'the-token' }), config, context()).kind).toBe(
				'accepted',
			);
			expect(
				handleIngest(request({ 'x-gitlab-token': 'the-token!' }), config, context()).answer,
			).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
			expect(handleIngest(request({}), config, context()).answer).toMatchObject({
				status: 401,
				body: { error: 'missing_signature' },
			});
		});
	});

	describe('senders that sign the URL', () => {
		const KEY = 'square signature key';
		const URL = 'https://n8n.example.com/webhook/square';
		const BODY = '{"type":"payment.created","event_id":"evt-1"}';
		const square: IngestConfig = {
			...baseConfig,
			verification: { scheme: { kind: 'square' }, secrets: [KEY], toleranceSeconds: 300 },
		};
		const signedFor = (url: string) => ({
			headers: {
				'content-type': 'application/json',
				'x-square-hmacsha256-signature': createHmac('sha256', KEY)
					.update(url + BODY)
					.digest('base64'),
			},
			rawBody: Buffer.from(BODY),
		});

		it('checks the signature against the URL the request carries', () => {
			expect(handleIngest({ ...signedFor(URL), url: URL }, square, context()).kind).toBe(
				'accepted',
			);
			expect(
				handleIngest({ ...signedFor(URL), url: `${URL}?x=1` }, square, context()).answer,
			).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
		});

		it('answers 500 misconfigured without a URL, before anything about the signature', () => {
			const unsigned = { headers: {}, rawBody: Buffer.from(BODY) };
			expect(handleIngest(unsigned, square, context()).answer).toMatchObject({
				status: 500,
				body: { error: 'misconfigured' },
			});
		});
	});
});

describe('handleIngest: a sender that signs a nonce rather than the body (Mailgun)', () => {
	const KEY = 'mailgun signing key';
	const mailgun: IngestConfig = {
		...baseConfig,
		verification: { scheme: { kind: 'mailgun' }, secrets: [KEY], toleranceSeconds: 300 },
		normalize: { ...baseConfig.normalize, idField: 'event-data.id', typeField: 'event-data.event' },
		dedup: null,
	};
	const delivery = (token: string, id: string) => {
		const timestamp = String(NOW);
		const signature = createHmac('sha256', KEY).update(`${timestamp}${token}`).digest('hex');
		const body = {
			signature: { timestamp, token, signature },
			'event-data': { id, event: 'opened' },
		};
		return {
			headers: { 'content-type': 'application/json' },
			rawBody: Buffer.from(JSON.stringify(body)),
		};
	};

	it('drops a signature used again with another body, even with duplicate detection off', () => {
		const ledger = emptyLedger();
		expect(handleIngest(delivery('t1', 'e1'), mailgun, context({ ledger })).kind).toBe('accepted');
		expect(handleIngest(delivery('t1', 'e2'), mailgun, context({ ledger }))).toMatchObject({
			kind: 'duplicate',
			answer: { status: 200, body: { received: true, duplicate: true } },
		});
		expect(handleIngest(delivery('t2', 'e2'), mailgun, context({ ledger })).kind).toBe('accepted');
	});

	it('remembers no nonce of a refused request', () => {
		const ledger = emptyLedger();
		const forged = { ...mailgun, verification: { ...mailgun.verification!, secrets: ['other'] } };
		expect(handleIngest(delivery('t1', 'e1'), forged, context({ ledger })).kind).toBe('rejected');
		expect(handleIngest(delivery('t1', 'e1'), mailgun, context({ ledger })).kind).toBe('accepted');
	});
});
