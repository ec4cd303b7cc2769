import {
	handleIngest,
	type IngestConfig,
	type IngestContext,
} from '../../../../lib/ingest/handleIngest';
import { emptyLedger, settle } from '../../../../lib/store/dedup';
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
			event: { id: 'msg_1', event: 'flow.start' },
			body: { type: 'flow.start', id: 'body-id' },
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
		expect(outcome).toMatchObject({ kind: 'accepted', claimed: true });
		expect(ledger).toEqual({ ...emptyLedger(), inFlight: new Set(['msg_new']) });
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
		settle(ledger, 'msg_dup', true, NOW, baseConfig.dedup!);
		const again = handleIngest(signed('{"type":"a"}', 'msg_dup'), baseConfig, context({ ledger }));
		expect(again).toMatchObject({
			kind: 'duplicate',
			answer: { status: 200, body: { received: true, duplicate: true } },
		});
	});

	it('accepts a redelivery again when the first run could not be stored', () => {
		const ledger = emptyLedger();
		handleIngest(signed('{"type":"a"}', 'msg_lost'), baseConfig, context({ ledger }));
		settle(ledger, 'msg_lost', false, NOW, baseConfig.dedup!);
		const again = handleIngest(signed('{"type":"a"}', 'msg_lost'), baseConfig, context({ ledger }));
		expect(again).toMatchObject({ kind: 'accepted', claimed: true });
	});

	it('accepts repeats when duplicate detection is off', () => {
		const config = { ...baseConfig, dedup: null };
		const ledger = emptyLedger();
		handleIngest(signed('{"type":"a"}', 'same'), config, context({ ledger }));
		expect(handleIngest(signed('{"type":"a"}', 'same'), config, context({ ledger }))).toMatchObject(
			{ kind: 'accepted', claimed: false },
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
			event: { id: 'from-body' },
		});
		expect(handleIngest(json('{"type":"a"}'), config, context())).toMatchObject({
			kind: 'accepted',
			event: { id: 'generated-id' },
		});
	});

	it('never claims generated ids, so id-less events are never duplicates', () => {
		const config = { ...baseConfig, verification: null };
		const ledger = emptyLedger();
		const request = { headers: {}, rawBody: Buffer.from('{"type":"a"}') };
		handleIngest(request, config, context({ ledger }));
		expect(handleIngest(request, config, context({ ledger }))).toMatchObject({
			kind: 'accepted',
			claimed: false,
		});
		expect(ledger).toEqual(emptyLedger());
	});
});
