import type { PublishedDataset, PublishSettings } from '../../../../../lib/dataset/publish';
import {
	PUBLISH_KEY_ID_HEADER,
	publishKeyId,
	publishSigningSecret,
	type PublishRequest,
} from '../../../../../lib/dataset/publishing/protocol';
import {
	MAX_REMEMBERED_PUBLISHES,
	PUBLISH_TOO_OLD,
	receivePublish,
	type PublishLedger,
} from '../../../../../lib/dataset/publishing/receive';
import {
	readPublishAnswer,
	signedPublishRequest,
} from '../../../../../lib/dataset/publishing/send';
import { signedRequest } from '../../../../support/events.cjs';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const ELEVEN_MINUTES_ON = new Date(NOW.getTime() + 11 * 60_000);
const PUBLISH_KEY = 'example-publish-key-a-0123456789abcdef-01';
const SECRET = publishSigningSecret(PUBLISH_KEY, 'workflow-1', 'node-1');
const append: PublishSettings = { mode: 'append', keepNewest: 3, maxBytes: 1024 };

function signed(
	request: unknown,
	options: { id?: string; at?: Date; secret?: string; unsigned?: boolean } = {},
) {
	const { body, headers } = signedPublishRequest(
		request as PublishRequest,
		options.secret ?? SECRET,
		options.id ?? 'pub_1',
		options.at ?? NOW,
	);
	const sent = options.unsigned ? { 'content-type': headers['content-type'] } : headers;
	return { headers: sent, rawBody: Buffer.from(body) };
}

/** Applies publishes in order over one store, as the webhook's static data keeps them. */
function publishAll(requests: Array<ReturnType<typeof signed>>, at = NOW) {
	const store: { dataset?: PublishedDataset; ledger?: PublishLedger } = {};
	const answers = requests.map((received) => {
		const applied = receivePublish(received, SECRET, store, at);
		if (applied.kind === 'published') store.dataset = applied.dataset;
		if (applied.kind === 'published' || applied.kind === 'unchanged') store.ledger = applied.ledger;
		return applied.answer;
	});
	return { store, answers };
}

describe('receivePublish', () => {
	it('publishes a signed request onto the stored dataset and answers a receipt', () => {
		const { store, answers } = publishAll([
			signed({ items: [{ n: 1 }], settings: append }, { id: 'pub_1' }),
			signed({ items: [{ n: 2 }, { n: 3 }], settings: append }, { id: 'pub_2' }),
		]);
		expect(answers).toEqual([
			{ status: 200, body: { outcome: 'published', version: 1, total: 1, bytes: 9 } },
			{ status: 200, body: { outcome: 'published', version: 2, total: 3, bytes: 25 } },
		]);
		expect(store.dataset).toMatchObject({ json: '[{"n":1},{"n":2},{"n":3}]', version: 2 });
		expect(readPublishAnswer(200, answers[1].body)).toEqual({
			kind: 'receipt',
			receipt: answers[1].body,
		});
	});

	it('answers a repeated publish id with what is stored, publishing nothing twice', () => {
		const request = { items: [{ n: 1 }], settings: append };
		const { store, answers } = publishAll([
			signed(request, { id: 'pub_same' }),
			signed(request, { id: 'pub_same', at: new Date(NOW.getTime() + 2000) }),
		]);
		expect(answers[1]).toEqual({
			status: 200,
			body: { outcome: 'unchanged', version: 1, total: 1, bytes: 9, repeated: true },
		});
		expect(store.dataset).toMatchObject({ json: '[{"n":1}]', version: 1 });
	});

	it('remembers a publish that changes nothing, so that replayed later it cannot roll the data back', () => {
		const replace = { ...append, mode: 'replace' as const };
		const captured = signed({ items: [{ price: 100 }], settings: replace }, { id: 'pub_2' });
		const { store, answers } = publishAll([
			signed({ items: [{ price: 100 }], settings: replace }, { id: 'pub_1' }),
			captured,
			signed({ items: [{ price: 250 }], settings: replace }, { id: 'pub_3' }),
			captured,
		]);
		expect(answers[1]).toEqual({
			status: 200,
			body: { outcome: 'unchanged', version: 1, total: 1, bytes: 15 },
		});
		expect(answers[3].body).toMatchObject({ outcome: 'unchanged', version: 2, repeated: true });
		expect(store.dataset).toMatchObject({ json: '[{"price":250}]', version: 2 });
	});

	it('remembers every publish of the replay window however many follow, and forgets it after', () => {
		const first = signed({ items: [{ n: 'first' }], settings: append }, { id: 'pub_first' });
		const later = Array.from({ length: 1000 }, (_, index) =>
			signed({ items: [{ n: index }], settings: append }, { id: `pub_${index}` }),
		);
		const { store } = publishAll([first, ...later]);
		expect(store.ledger?.recent).toHaveLength(2 * 1001);
		const replay = receivePublish(first, SECRET, store, NOW);
		expect(replay.kind).toBe('repeated');
		// Ten minutes on, the signature itself has long expired and the ledger sheds the ids.
		const fresh = signed(
			{ items: [{ n: 'new' }], settings: append },
			{ id: 'pub_new', at: ELEVEN_MINUTES_ON },
		);
		const afterWindow = receivePublish(fresh, SECRET, store, ELEVEN_MINUTES_ON);
		expect(afterWindow.kind === 'published' && afterWindow.ledger.recent).toEqual([
			'pub_new',
			expect.any(Number),
		]);
	});

	it('past its bound, the ledger refuses whatever was signed no later than a publish it forgot', () => {
		const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
		const requests = Array.from({ length: MAX_REMEMBERED_PUBLISHES + 1 }, (_, index) =>
			signed(
				{ items: [{ n: index }], settings: append },
				{ id: `pub_${index}`, at: at(index % 60) },
			),
		);
		const { store } = publishAll(requests, at(60));
		expect(store.ledger?.recent).toHaveLength(2 * MAX_REMEMBERED_PUBLISHES);
		expect(store.ledger?.recent[0]).toBe('pub_1');
		const replayed = receivePublish(requests[0], SECRET, store, at(60));
		expect(replayed).toEqual({
			kind: 'refused',
			answer: {
				status: 409,
				body: {
					error: PUBLISH_TOO_OLD,
					message: expect.stringMatching(/Nothing was published; run it again/),
				},
			},
		});
		const newer = signed({ items: [{ n: 'new' }], settings: append }, { id: 'pub_new', at: at(1) });
		expect(receivePublish(newer, SECRET, store, at(60)).kind).toBe('published');
	});

	it('refuses data over the size limit with 413, the stored version and nothing stored', () => {
		const first = signed({ items: [{ n: 1 }], settings: append }, { id: 'pub_1' });
		const big = signed({ items: [{ s: 'x'.repeat(2000) }], settings: append }, { id: 'pub_2' });
		const { store, answers } = publishAll([first, big, big]);
		expect(answers[1]).toEqual({
			status: 413,
			body: {
				error: 'dataset_too_large',
				message: 'The data is 2.0 KB as JSON, over the 1.0 KB limit, so it was not published',
				bytes: 2018,
				maxBytes: 1024,
				version: 1,
			},
		});
		expect(answers[2].status).toBe(413);
		expect(store.dataset).toMatchObject({ version: 1 });
		expect(store.ledger?.recent).toEqual(['pub_1', Math.floor(NOW.getTime() / 1000)]);
	});

	it('refuses data nested too deeply with 400 too_deeply_nested, nothing stored, without throwing', () => {
		// Parsed and walked, never serialised: far past the depth at which JSON.stringify overflows.
		const depth = 100_000;
		const text = JSON.stringify({ items: [{ deep: 0 }], settings: append }).replace(
			'"deep":0',
			`"deep":${'['.repeat(depth)}${']'.repeat(depth)}`,
		);
		const received = signedRequest(text, { id: 'pub_deep', secret: SECRET, at: NOW });
		const applied = receivePublish(received, SECRET, {}, NOW);
		expect(applied).toEqual({
			kind: 'refused',
			answer: {
				status: 400,
				body: {
					error: 'too_deeply_nested',
					message:
						'The data nests arrays and objects more than 1000 levels deep, so it was not published',
				},
			},
		});
	});

	it.each([
		['no signature', { unsigned: true }, 'missing_signature'],
		[
			'a key the node no longer has',
			{ secret: publishSigningSecret(`${PUBLISH_KEY}-old`, 'workflow-1', 'node-1') },
			'publish_key_changed',
		],
		['a stale signature', { at: new Date(NOW.getTime() - 301_000) }, 'timestamp_out_of_tolerance'],
		[
			'a signature from the future',
			{ at: new Date(NOW.getTime() + 301_000) },
			'timestamp_out_of_tolerance',
		],
		[
			'the key of another node in the workflow',
			{ secret: publishSigningSecret(PUBLISH_KEY, 'workflow-1', 'node-2') },
			'publish_key_changed',
		],
		[
			'a key derived from what readers of the workflow know (the instance id)',
			{ secret: publishSigningSecret('instance-a', 'workflow-1', 'node-1') },
			'publish_key_changed',
		],
	])('refuses a request with %s: 401, nothing stored', (_, change, code) => {
		const received = signed({ items: [{ n: 1 }], settings: append }, change);
		const applied = receivePublish(received, SECRET, {}, NOW);
		expect(applied).toEqual({
			kind: 'unverified',
			answer: expect.objectContaining({
				status: 401,
				body: expect.objectContaining({ error: code }),
			}),
		});
	});

	it('checks the signature, not the key id, when the id is missing or copied from a real publish', () => {
		const forged = signed(
			{ items: [{ n: 1 }], settings: append },
			{ secret: publishSigningSecret('guess', 'workflow-1', 'node-1') },
		);
		const withoutId = { ...forged.headers };
		delete (withoutId as Record<string, string>)[PUBLISH_KEY_ID_HEADER];
		const copiedId = { ...forged.headers, [PUBLISH_KEY_ID_HEADER]: publishKeyId(SECRET) };
		for (const headers of [withoutId, copiedId]) {
			const applied = receivePublish({ ...forged, headers }, SECRET, {}, NOW);
			expect(applied).toEqual({
				kind: 'unverified',
				answer: expect.objectContaining({
					status: 401,
					body: expect.objectContaining({ error: 'signature_mismatch' }),
				}),
			});
		}
	});

	it('says a publish signed before the key changed may be sent again, revealing no key', () => {
		const received = signed(
			{ items: [{ n: 1 }], settings: append },
			{ secret: publishSigningSecret(`${PUBLISH_KEY}-old`, 'workflow-1', 'node-1') },
		);
		const { answer } = receivePublish(received, SECRET, {}, NOW);
		const text = JSON.stringify(answer.body);
		expect(text).toContain('run it again');
		expect(text).not.toContain(PUBLISH_KEY);
		expect(text).not.toContain(publishKeyId(SECRET));
	});

	it('refuses a tampered body: 401', () => {
		const received = signed({ items: [{ n: 1 }], settings: append });
		received.rawBody = Buffer.from(received.rawBody.toString().replace('1', '2'));
		expect(receivePublish(received, SECRET, {}, NOW).answer.status).toBe(401);
	});

	it.each([
		['a body that is not JSON', 'not json', 'The body is not JSON.'],
		[
			'items that are not objects',
			{ items: [1], settings: append },
			'"items" must be a list of objects.',
		],
		['no settings', { items: [] }, '"settings" is missing or malformed.'],
		[
			'an unknown mode',
			{ items: [], settings: { ...append, mode: 'merge' } },
			'"settings" is missing or malformed.',
		],
		[
			'settings out of range',
			{ items: [], settings: { ...append, keepNewest: 0 } },
			'Keep Newest Items must be a whole number from 1 to 10000, not 0.',
		],
	])('answers 400 invalid_publish_request to %s', (_, request, message) => {
		const { body, headers } =
			typeof request === 'string'
				? { body: request, headers: signedPublishRaw(request) }
				: { body: JSON.stringify(request), headers: signed(request).headers };
		const applied = receivePublish({ headers, rawBody: Buffer.from(body) }, SECRET, {}, NOW);
		expect(applied).toEqual({
			kind: 'refused',
			answer: { status: 400, body: { error: 'invalid_publish_request', message } },
		});
	});
});

/** Headers signing an arbitrary body the way signedPublishRequest signs JSON. */
function signedPublishRaw(body: string): Record<string, string> {
	const { Webhook } = jest.requireActual<typeof import('standardwebhooks')>('standardwebhooks');
	return {
		'webhook-id': 'pub_raw',
		'webhook-timestamp': String(Math.floor(NOW.getTime() / 1000)),
		'webhook-signature': new Webhook(SECRET).sign('pub_raw', NOW, body),
	};
}
