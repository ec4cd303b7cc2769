// No request can make a node throw (issue 15): thousands of generated requests that no honest
// sender makes (empty, multipart and form bodies, unreadable streams, wrong content types, huge
// and deeply nested JSON, invalid UTF-8, odd headers and query strings) reach the Flow Webhook
// Trigger (its event URL and its persist webhook) and both webhooks of the External Data Provider.
// None gets a 5xx, every refusal of ours
// is a JSON {error, message}, no execution of any status is recorded and n8n answers normally
// afterwards. The requests follow from a seed, printed; replay a failure with TEST_SEED=<seed>.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';

import {
	DATA_TOKEN,
	SIGNING_SECRET,
	providerCredentials,
	PUBLISH_KEY,
	flowEvent,
	providerWorkflow,
	signingCredential,
	standardWebhookHeaders,
	triggerWorkflow,
	workflowId,
} from './fixtures.mjs';
import { pollUntil, startN8n } from './harness.mjs';
import { between, seededRandom } from './random.mjs';

// The package's own signer: generated requests sign exact bytes, invalid UTF-8 included, which the
// reference library behind standardWebhookHeaders cannot (it signs strings). The publish key is
// derived as the node derives it, so that signed publishes get past the signature check.
const require = createRequire(import.meta.url);
const { signWebhook } = require('../../dist/lib/signing/sign.js');
const { publishSigningSecret } = require('../../dist/lib/dataset/publishing/protocol.js');
const { channelSecret } = require('../../dist/lib/signing/channelSecret.js');

// A fixed seed, so that every run sends the same requests; TEST_SEED explores (or replays) others.
const SEED = process.env.TEST_SEED ? Number(process.env.TEST_SEED) : 20261115;
const REQUESTS_PER_ENDPOINT = 1200;
const IN_FLIGHT = 8;

const ids = { trigger: workflowId('robustTrigger'), provider: workflowId('robustProvider') };
const TRIGGER_PATH = 'robustness/trigger';
const DATA_PATH = 'robustness/data';
// The trigger's default Max Body Size.
const TRIGGER_BODY_LIMIT = 1024 * 1024;
// Bodies that may be refused before they are read whole (a false gzip claim, a malformed
// multipart body, headers Node.js refuses) stay below this. An answer given while the client is
// still sending is lost in transit when the server closes the connection with the rest unread
// (TCP resets it), so it could not be judged reliably.
const EARLY_REFUSAL_MAX_BYTES = 256 * 1024;
// Event type fields the trigger reads: generated bodies never hold one with a usable value, so no
// generated request can be a valid event that starts a run.
const EVENT_TYPE_FIELDS = ['event', 'type', 'event_type'];

const triggerFlow = triggerWorkflow({ id: ids.trigger, path: TRIGGER_PATH });
const providerFlow = providerWorkflow({
	id: ids.provider,
	chains: [
		{
			name: 'Provider',
			manualItems: [{ draft: true }],
			parameters: {
				path: DATA_PATH,
				authentication: 'bearerToken',
				options: { extraFormats: ['csv', 'ndjson'], maxPageSize: 100 },
			},
		},
	],
});
const providerNode = providerFlow.nodes.find((node) => node.name === 'Provider');
const triggerNode = triggerFlow.nodes.find((node) => node.webhookId);
// The key of the trigger's persist webhook, derived from its signing secret as the node derives it.
const persistSecret = channelSecret(SIGNING_SECRET, 'persist', ids.trigger, triggerNode.id);

let n8n;
const publishSecret = publishSigningSecret(PUBLISH_KEY, ids.provider, providerNode.id);

// Requests to n8n's webhook path for community nodes take an expression isolate each under the
// default engine (about 20 a second on 2 cores); the legacy engine keeps thousands of them within
// seconds and changes nothing the nodes do with a request.
before(async () => {
	n8n = await startN8n({
		workflows: [triggerFlow, providerFlow],
		credentials: [signingCredential, ...providerCredentials],
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	});
});
after(() => n8n?.stop());

// --- Seeded randomness ---------------------------------------------------------------------------

/** FNV-1a: each request gets its own generator, so it reads the same whatever ran before it. */
function hash(text) {
	let value = 0x811c9dc5;
	for (const char of text) value = Math.imul(value ^ char.charCodeAt(0), 0x01000193);
	return value >>> 0;
}

function randomFor(endpoint, index) {
	return seededRandom(hash(`${SEED}:${endpoint}:${index}`));
}

const pick = (random, list) => list[Math.floor(random() * list.length)];
const chance = (random, probability) => random() < probability;

function randomBytes(random, length) {
	const bytes = Buffer.alloc(length);
	for (let index = 0; index < length; index++) bytes[index] = Math.floor(random() * 256);
	return bytes;
}

// --- Generated values ----------------------------------------------------------------------------

// Byte sequences that are not UTF-8: a lone continuation byte, a truncated sequence, an overlong
// slash, an encoded surrogate, bytes UTF-8 never uses.
const INVALID_UTF8 = [
	[0x80],
	[0xc3, 0x28],
	[0xc0, 0xaf],
	[0xed, 0xa0, 0x80],
	[0xf8, 0x88, 0x80, 0x80, 0x80],
	[0xfe, 0xff],
	[0xe2, 0x82],
].map((bytes) => Buffer.from(bytes));

const ODD_STRINGS = [
	'',
	' ',
	'\u0000',
	'null',
	'undefined',
	'NaN',
	'__proto__',
	'constructor',
	'😀💥',
	'\u202eevil',
	'𝕦𝕟𝕚𝕔𝕠𝕕𝕖',
	'a'.repeat(300),
	'"quoted"',
	'line\nbreak',
	'\\',
	'%00%ff',
];

// Field names of generated JSON; never a field the trigger reads an event type from.
const KEYS = [
	'id',
	'data',
	'session_id',
	'created',
	'metadata',
	'success',
	'__proto__',
	'constructor',
	'prototype',
	'a.b',
	'',
	'😀',
	'x'.repeat(200),
	'items',
	'settings',
];

function randomString(random) {
	return chance(random, 0.6)
		? pick(random, ODD_STRINGS)
		: randomBytes(random, between(random, 0, 40)).toString('base64');
}

/** A JSON value without a usable event type, at most `depth` levels deep. */
function randomJsonValue(random, depth = 4) {
	const kind = depth <= 0 ? between(random, 0, 3) : between(random, 0, 5);
	switch (kind) {
		case 0:
			return pick(random, [null, true, false]);
		case 1:
			return pick(random, [0, -0, 1, -1, 1.5, 1e308, -1e-308, 2 ** 53 + 1, 123456789]);
		case 2:
		case 3:
			return randomString(random);
		case 4:
			return Array.from({ length: between(random, 0, 5) }, () =>
				randomJsonValue(random, depth - 1),
			);
		default: {
			const object = {};
			for (let count = between(random, 0, 5); count > 0; count--) {
				object[pick(random, KEYS)] = randomJsonValue(random, depth - 1);
			}
			// Event type fields only with values the trigger cannot use.
			if (chance(random, 0.2))
				object[pick(random, EVENT_TYPE_FIELDS)] = pick(random, [null, '', '   ', 42, {}, []]);
			return object;
		}
	}
}

/** JSON text nested `depth` levels deep, written directly: building it as objects would overflow. */
function deeplyNestedJson(random, depth) {
	if (chance(random, 0.5)) return '['.repeat(depth) + ']'.repeat(depth);
	return '{"data":'.repeat(depth) + 'null' + '}'.repeat(depth);
}

/** Malformed JSON: cut short, trailing garbage, single quotes, comments, bare words. */
function malformedJson(random) {
	const valid = JSON.stringify(randomJsonValue(random));
	return pick(random, [
		valid.slice(0, Math.max(0, valid.length - between(random, 1, 5))),
		`${valid}}`,
		"{'data': 1}",
		'{"data": 1, /* comment */}',
		'{"data": NaN}',
		'{data}',
		'[1,,2]',
		'\ufeff\ufeff{}',
		'{"data": "unterminated',
	]);
}

function urlEncodedForm(random) {
	const pairs = Array.from({ length: between(random, 0, 8) }, () =>
		pick(random, [
			`${encodeURIComponent(pick(random, KEYS))}=${encodeURIComponent(randomString(random))}`,
			'a[b][c][d][e][f][g]=deep',
			'items[0][x]=1&items[1]=2',
			'%zz=%e0%a4',
			'=',
			'&&&',
			'key',
			'a=1&a=2&a=3',
		]),
	);
	if (chance(random, 0.05))
		pairs.push(...Array.from({ length: 1500 }, (_, index) => `k${index}=v`));
	return pairs.join('&');
}

/** A multipart body and its boundary: well formed, empty, cut short or not multipart at all. */
function multipartBody(random) {
	const boundary = pick(random, ['xyz', '----fuzz' + between(random, 0, 1e6), 'a'.repeat(70)]);
	const parts = Array.from({ length: between(random, 0, 3) }, (_, index) =>
		chance(random, 0.5)
			? `--${boundary}\r\nContent-Disposition: form-data; name="field${index}"\r\n\r\n${randomString(random)}\r\n`
			: `--${boundary}\r\nContent-Disposition: form-data; name="file${index}"; filename="${pick(random, ['a.json', '', '../../etc/passwd', '😀.bin'])}"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(randomJsonValue(random))}\r\n`,
	);
	const complete = parts.join('') + `--${boundary}--\r\n`;
	const body = pick(random, [
		'',
		complete,
		complete.slice(0, Math.floor(complete.length / 2)),
		parts.join(''),
		`--${boundary}--\r\n`,
		'not multipart at all',
		`--other\r\n\r\n--other--\r\n`,
	]);
	return { boundary, body: Buffer.from(body) };
}

// --- Content types and what n8n does with them ----------------------------------------------------

/**
 * Whether n8n reads and parses the body itself before the node runs. Mirrors n8n 2.41's
 * `isParsableContentType` and multipart handling in webhook-helpers.ts (media type lower-cased,
 * parameters dropped). A gzip or deflate body that does not decompress makes that parser fail with
 * a 500 of n8n's own before any node runs (read in body-parser.ts, measured on 2.41.1: the zlib
 * error is not turned into a 4xx), and so does a body over N8N_PAYLOAD_SIZE_MAX. Nothing a node can
 * change, so neither is generated for these content types; for the others n8n leaves the body to
 * the node, which must refuse it. Bodies over N8N_PAYLOAD_SIZE_MAX are not generated at all: n8n
 * refuses them by their Content-Length before reading any, see EARLY_REFUSAL_MAX_BYTES.
 */
function n8nParsesBody(contentType) {
	if (!contentType) return false;
	const type = contentType.split(';')[0].toLowerCase();
	return (
		type === 'multipart/form-data' ||
		type.startsWith('application/json') ||
		type.startsWith('text/plain') ||
		type.startsWith('application/x-www-form-urlencoded')
	);
}

// No XML type appears: n8n's XML parser holds a malformed body until the client gives up
// (n8n-facts.md), whatever the node does.
const WRONG_CONTENT_TYPES = [
	undefined,
	'',
	'application/octet-stream',
	'text/html',
	'image/png',
	'*/*',
	'json',
	';;;',
	'application/jsonl',
	'application/json; charset=latin1',
	'application/json; charset=utf-16',
	'application/json; charset=nonsense',
	'APPLICATION/JSON',
	'application/vnd.api+json',
	'application/cloudevents+json; charset=utf-8',
	'text/plain; charset=utf-8',
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'multipart/form-data; boundary=',
	'multipart/mixed; boundary=x',
	`application/${'x'.repeat(2000)}`,
	'application/json; boundary=xyz; charset="utf-8"; charset=ascii',
];

/** A body, its content type and a label saying what it is. `limit`: the size limit to probe. */
function randomBody(random, { limit }) {
	const kind = pick(random, [
		'empty',
		'json',
		'json',
		'malformed json',
		'deep json',
		'big json',
		'text',
		'invalid utf-8',
		'form',
		'multipart',
		'multipart',
		'binary',
	]);
	const naturalType = {
		empty: pick(random, [undefined, 'application/json', 'multipart/form-data; boundary=xyz']),
		json: pick(random, ['application/json', 'application/cloudevents+json', undefined]),
		'malformed json': pick(random, ['application/json', 'application/cloudevents+json']),
		'deep json': pick(random, ['application/json', 'application/vnd.flow+json']),
		'big json': pick(random, ['application/json', 'application/octet-stream']),
		text: 'text/plain',
		'invalid utf-8': pick(random, ['application/json', 'text/plain', undefined]),
		form: 'application/x-www-form-urlencoded',
		binary: 'application/octet-stream',
	}[kind];
	let body;
	let contentType = naturalType;
	let detail = '';
	switch (kind) {
		case 'empty':
			body = Buffer.alloc(0);
			break;
		case 'json':
			body = Buffer.from(JSON.stringify(randomJsonValue(random)));
			break;
		case 'malformed json':
			body = Buffer.from(malformedJson(random));
			break;
		case 'deep json': {
			const depth = pick(random, [64, 257, 1000, 5000, 50_000, 200_000]);
			detail = ` depth ${depth}`;
			body = Buffer.from(deeplyNestedJson(random, depth));
			break;
		}
		case 'big json': {
			// Around the node's limit mostly, sometimes well past it.
			const size = chance(random, 0.8)
				? Math.max(16, limit + between(random, -2048, 2048))
				: between(random, 2, 6) * 1024 * 1024;
			detail = ` ${size} bytes`;
			body = Buffer.alloc(size, 'x');
			Buffer.from('{"data":"').copy(body);
			Buffer.from('"}').copy(body, size - 2);
			break;
		}
		case 'text':
			body = Buffer.from(randomString(random));
			break;
		case 'invalid utf-8': {
			const bad = pick(random, INVALID_UTF8);
			body = chance(random, 0.5)
				? Buffer.concat([Buffer.from('{"data":"'), bad, Buffer.from('"}')])
				: Buffer.concat([bad, randomBytes(random, between(random, 0, 20))]);
			break;
		}
		case 'form':
			body = Buffer.from(urlEncodedForm(random));
			break;
		case 'multipart': {
			const multipart = multipartBody(random);
			body = multipart.body;
			contentType = pick(random, [
				`multipart/form-data; boundary=${multipart.boundary}`,
				`multipart/form-data; boundary="${multipart.boundary}"`,
				'multipart/form-data; boundary=mismatch',
				'multipart/form-data',
			]);
			break;
		}
		default:
			body = randomBytes(random, between(random, 0, 2000));
	}
	if (chance(random, 0.25)) contentType = pick(random, WRONG_CONTENT_TYPES);
	return { body, contentType, label: `${kind}${detail}` };
}

/**
 * Content-Encoding: a real one, a false claim (not for bodies n8n parses, see n8nParsesBody, nor
 * for large ones, see EARLY_REFUSAL_MAX_BYTES), or a token n8n does not know, which leaves the
 * body as sent.
 */
function randomEncoding(random, body, contentType) {
	if (!chance(random, 0.2)) return { body };
	const encoding = pick(random, ['gzip', 'deflate', 'gzip', 'br', 'identity', 'x-unknown', 'GZIP']);
	const real = chance(random, 0.5);
	if (encoding === 'gzip' && real) return { body: gzipSync(body), encoding, label: 'gzip' };
	if (encoding === 'deflate' && real)
		return { body: deflateSync(body), encoding, label: 'deflate' };
	const decoded = encoding === 'gzip' || encoding === 'deflate';
	if (decoded && (n8nParsesBody(contentType) || body.length > EARLY_REFUSAL_MAX_BYTES))
		return { body };
	return { body, encoding, label: `${encoding} (not really)` };
}

// --- Headers -------------------------------------------------------------------------------------

/**
 * Header values go over the wire as bytes: UTF-8 text is sent as its bytes (obs-text). Control
 * characters are left out: Node.js's client refuses to send them and its server would refuse them.
 */
const asWireText = (text) =>
	Buffer.from(text, 'utf8')
		.toString('latin1')
		.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

function oddHeaderValue(random) {
	return pick(random, [
		'',
		' ',
		asWireText(pick(random, ODD_STRINGS)),
		'x'.repeat(between(random, 1000, 8000)),
		Array.from({ length: 200 }, (_, index) => `v1,${index}`).join(' '),
		'v1,',
		'v1,@@@',
		'v1,' + randomBytes(random, 32).toString('base64'),
		'v2,' + randomBytes(random, 32).toString('base64'),
		'\t',
		'=?utf-8?b?8J+YgA==?=',
		asWireText('v1,😀'),
	]);
}

function oddTimestamp(random, now) {
	return pick(random, [
		'',
		'soon',
		'-1',
		'0',
		'1e30',
		'99999999999999999999999999',
		'1.5',
		' 123 ',
		'0x10',
		String(now - 3600),
		String(now + 86_400 * 365),
		String(now) + 'abc',
		asWireText('１２３'),
		'NaN',
	]);
}

/** Standard Webhooks headers over the exact bytes of `body`, made by the package's own signer. */
function signBytes(body, { secret, id, timestamp = Math.floor(Date.now() / 1000) }) {
	return signWebhook({ scheme: { kind: 'standardWebhooks' }, secret, body, id, timestamp });
}

/**
 * The Standard Webhooks headers of a POST: a valid signature over the exact bytes sent (so the
 * body checks run), none, garbage, repeated headers, an old timestamp, or another secret.
 * `plain`: only modes whose headers stay short.
 */
function signatureHeaders(random, body, secret, { plain = false } = {}) {
	const now = Math.floor(Date.now() / 1000);
	const sign = (signingSecret, timestamp) =>
		signBytes(body, {
			secret: signingSecret,
			id: `msg_fuzz_${between(random, 0, 1e9)}`,
			timestamp,
		});
	const modes = ['valid', 'valid', 'valid', 'none', 'stale', 'other secret'];
	const mode = pick(random, plain ? modes : [...modes, 'garbage', 'repeated']);
	switch (mode) {
		case 'valid':
			return { mode, headers: sign(secret, now) };
		case 'none':
			return { mode, headers: {} };
		case 'garbage':
			return {
				mode,
				headers: {
					'webhook-id': chance(random, 0.5) ? oddHeaderValue(random) : 'msg_1',
					'webhook-timestamp': oddTimestamp(random, now),
					'webhook-signature': oddHeaderValue(random),
				},
			};
		case 'repeated': {
			const signed = sign(secret, now);
			return {
				mode,
				headers: {
					...signed,
					'webhook-signature': [signed['webhook-signature'], oddHeaderValue(random)],
					'webhook-timestamp': [signed['webhook-timestamp'], signed['webhook-timestamp']],
				},
			};
		}
		case 'stale':
			return { mode, headers: sign(secret, now - between(random, 301, 10 ** 6)) };
		default:
			return { mode, headers: sign('whsec_' + randomBytes(random, 32).toString('base64'), now) };
	}
}

/** Up to three headers that have nothing to do with the endpoint, with odd values. */
function strayHeaders(random) {
	const headers = {};
	for (let count = between(random, 0, 3); count > 0; count--) {
		const name = pick(random, [
			'x-forwarded-for',
			'origin',
			'authorization',
			'cookie',
			'accept',
			'accept-encoding',
			'user-agent',
			'if-none-match',
			'if-modified-since',
			'x-request-id',
			`x-${'long-'.repeat(200)}name`,
		]);
		headers[name] = chance(random, 0.2)
			? [oddHeaderValue(random), oddHeaderValue(random)]
			: oddHeaderValue(random);
	}
	return headers;
}

// --- Requests per endpoint -----------------------------------------------------------------------

/** A POST to a signed webhook; `secret` signs the bodies it signs. */
function randomPost(random, { path, secret, limit }) {
	const generated = randomBody(random, { limit });
	const { body, label } = generated;
	// A large body goes only where it is read whole before the answer (see EARLY_REFUSAL_MAX_BYTES):
	// n8n's form parser stops at the first malformed part, Node.js refuses headers over 16 KB
	// before reading any body.
	const large = body.length > EARLY_REFUSAL_MAX_BYTES;
	const contentType =
		large && generated.contentType?.toLowerCase().startsWith('multipart/')
			? 'application/json'
			: generated.contentType;
	const encoded = randomEncoding(random, body, contentType);
	const signature = signatureHeaders(random, encoded.body, secret, { plain: large });
	const headers = { ...(large ? {} : strayHeaders(random)), ...signature.headers };
	if (contentType !== undefined) headers['content-type'] = contentType;
	if (encoded.encoding) headers['content-encoding'] = encoded.encoding;
	return {
		method: 'POST',
		path,
		headers,
		body: encoded.body,
		label: [label, encoded.label, `signature ${signature.mode}`].filter(Boolean).join(', '),
	};
}

/**
 * The JSON body of a signed publish: usable more often than not, otherwise with items or settings
 * missing or malformed, or nested deeper than anything can serialise.
 */
function publishRequestBody(random) {
	// Usable settings and items more often than not, so that some publishes go through and the
	// GETs meet lists and single objects of odd items.
	const settings = () =>
		chance(random, 0.6)
			? pick(random, [
					{ mode: 'replace', keepNewest: 0, maxBytes: 100_000 },
					{ mode: 'append', keepNewest: between(random, 1, 5), maxBytes: 100_000 },
					{ mode: 'singleObject', keepNewest: 0, maxBytes: 100_000 },
				])
			: pick(random, [
					{ mode: 'append', keepNewest: 0, maxBytes: 100 },
					{ mode: 'replace', keepNewest: 0, maxBytes: 0 },
					{ mode: 'replace', keepNewest: 0, maxBytes: 1e12 },
					{ mode: 'replace', keepNewest: 0, maxBytes: '100' },
					{ mode: 'nonsense', keepNewest: 0, maxBytes: 100 },
					{ mode: 'replace', keepNewest: 0, maxBytes: 40 },
					null,
					[],
					'replace',
				]);
	const items = () =>
		chance(random, 0.6)
			? Array.from({ length: between(random, 0, 20) }, () => {
					const item = randomJsonValue(random, 3);
					return item !== null && typeof item === 'object' && !Array.isArray(item)
						? item
						: { value: item };
				})
			: pick(random, [[1, 2, 3], [null], [[]], {}, 'items', null]);
	const shape = pick(random, [
		'items and settings',
		'deep item',
		'no items',
		'no settings',
		'other',
	]);
	switch (shape) {
		case 'items and settings':
			return { shape, text: JSON.stringify({ items: items(), settings: settings() }) };
		case 'deep item': {
			const depth = pick(random, [100, 256, 257, 1000, 5000, 100_000]);
			const text = JSON.stringify({ items: [{ deep: 0 }], settings: settings() }).replace(
				'"deep":0',
				`"deep":${deeplyNestedJson(random, depth)}`,
			);
			return { shape: `${shape} depth ${depth}`, text };
		}
		case 'no items':
			return { shape, text: JSON.stringify({ settings: settings() }) };
		case 'no settings':
			return { shape, text: JSON.stringify({ items: items() }) };
		default:
			return { shape, text: JSON.stringify(randomJsonValue(random)) };
	}
}

function randomPublish(random) {
	const path = `${providerNode.webhookId}/publish`;
	if (chance(random, 0.6)) {
		return randomPost(random, { path, secret: publishSecret, limit: 100_000 });
	}
	// Signed JSON publishes, so the body checks behind the signature are reached often.
	const { shape, text } = publishRequestBody(random);
	const body = Buffer.from(text);
	// Few publish ids, so that some publishes repeat one seen before.
	const headers = signBytes(body, {
		secret: publishSecret,
		id: `pub_fuzz_${between(random, 0, 50)}`,
	});
	const contentType = pick(random, ['application/json', 'application/json; charset=utf-8', null]);
	if (contentType) headers['content-type'] = contentType;
	return { method: 'POST', path, headers, body, label: `signed publish: ${shape}` };
}

/** A POST to the trigger's persist webhook: random requests, or signed ones with odd id lists. */
function randomPersist(random) {
	const path = `${triggerNode.webhookId}/persist`;
	if (chance(random, 0.6))
		return randomPost(random, { path, secret: persistSecret, limit: 100_000 });
	const now = Math.floor(Date.now() / 1000);
	const ids = pick(random, [
		['evt_fuzz', now],
		Array.from({ length: between(random, 0, 40) }, () => randomJsonValue(random, 1)),
		randomJsonValue(random),
	]);
	const body = Buffer.from(JSON.stringify(chance(random, 0.8) ? { ids } : ids));
	const headers = signBytes(body, {
		secret: persistSecret,
		id: `persist_fuzz_${between(random, 0, 50)}`,
		timestamp: now,
	});
	headers['content-type'] = 'application/json';
	return { method: 'POST', path, headers, body, label: 'signed persist' };
}

// Query values: mostly usable, so that pages get rendered; otherwise what parsers trip on.
const QUERY_VALUES = {
	limit: {
		usable: ['0', '1', '2', '50', '100'],
		odd: ['101', '-1', '1.5', '1e2', '0x10', ' 5', '', '99999999999999999999', '%EF%BC%91'],
	},
	offset: {
		usable: ['0', '1', '3', '100000000000000'],
		odd: ['-0', 'NaN', 'Infinity', '', '%00', '1%00'],
	},
	format: { usable: ['json', 'csv', 'ndjson'], odd: ['xml', 'CSV', '', 'toString', '__proto__'] },
};

function queryString(random) {
	const parts = [];
	for (const [name, { usable, odd }] of Object.entries(QUERY_VALUES)) {
		if (chance(random, 0.4)) continue;
		const times = chance(random, 0.1) ? 2 : 1;
		for (let count = 0; count < times; count++) {
			const value = chance(random, 0.75) ? pick(random, usable) : pick(random, odd);
			// Values holding percent escapes are sent as written, to reach the decoder as they are.
			parts.push(`${name}=${value.includes('%') ? value : encodeURIComponent(value)}`);
		}
	}
	for (let count = between(random, 0, 3); count > 0; count--) {
		parts.push(
			pick(random, [
				'limit[]=1',
				'limit[a]=1',
				'offset[__proto__][x]=1',
				'__proto__[limit]=1',
				'constructor[prototype][limit]=1',
				'a[b][c][d][e][f][g][h]=deep',
				'%zz=%e0%a4',
				'%ef%bc%91=1',
				'_=' + between(random, 0, 1e9),
				'format',
				'&',
				'=',
				'limit=' + '9'.repeat(500),
				Array.from({ length: 1200 }, (_, index) => `p${index}=1`).join('&'),
				'x=' + 'y'.repeat(6000),
			]),
		);
	}
	const shuffled = parts.sort(() => random() - 0.5);
	return shuffled.length > 0 ? `?${shuffled.join('&')}` : pick(random, ['', '?', '?&']);
}

/** A GET for the published data: odd queries, conditional headers, tokens right and wrong. */
function randomGet(random) {
	const headers = strayHeaders(random);
	const auth = pick(random, ['token', 'token', 'token', 'token', 'none', 'wrong', 'odd']);
	if (auth === 'token') headers.authorization = `Bearer ${DATA_TOKEN}`;
	if (auth === 'wrong') headers.authorization = `Bearer ${DATA_TOKEN.slice(0, -1)}x`;
	if (auth === 'odd') {
		headers.authorization = pick(random, [
			'Bearer',
			'Bearer ',
			`bearer ${DATA_TOKEN}`,
			`Bearer  ${DATA_TOKEN}`,
			`Basic ${Buffer.from(`a:${DATA_TOKEN}`).toString('base64')}`,
			[`Bearer ${DATA_TOKEN}`, `Bearer ${DATA_TOKEN}`],
			oddHeaderValue(random),
		]);
	}
	if (chance(random, 0.3)) {
		headers['if-none-match'] = pick(random, [
			'*',
			'"1-abc"',
			'W/"x"',
			'"',
			'""',
			Array.from({ length: 300 }, (_, index) => `"${index}"`).join(', '),
			oddHeaderValue(random),
		]);
	}
	if (chance(random, 0.2)) {
		headers['if-modified-since'] = pick(random, [
			'garbage',
			new Date().toUTCString(),
			'Thu, 01 Jan 1970 00:00:00 GMT',
			'Fri, 31 Dec 9999 23:59:59 GMT',
			'-1',
			oddHeaderValue(random),
		]);
	}
	// GET bodies are unusual, but n8n parses them like any other.
	let body;
	let label = `auth ${auth}`;
	const generated = chance(random, 0.1) ? randomBody(random, { limit: 1024 }) : undefined;
	// Small ones only: the query or headers may be refused before the body is read.
	if (generated && generated.body.length <= EARLY_REFUSAL_MAX_BYTES) {
		body = generated.body;
		if (generated.contentType !== undefined) headers['content-type'] = generated.contentType;
		label += `, body ${generated.label}`;
	}
	return { method: 'GET', path: DATA_PATH + queryString(random), headers, body, label };
}

const ENDPOINTS = {
	trigger: (random) =>
		randomPost(random, { path: TRIGGER_PATH, secret: SIGNING_SECRET, limit: TRIGGER_BODY_LIMIT }),
	'trigger persist': randomPersist,
	'provider GET': randomGet,
	'provider publish': randomPublish,
};

// --- Sending and judging -------------------------------------------------------------------------

/**
 * Sends a generated request on a connection of its own, so that a connection n8n closes after an
 * answer (to a body it did not read, or a request Node.js refused) cannot fail the next request.
 * An answer given before the whole body was sent counts: the node may refuse a body without
 * reading all of it (a false gzip claim), and then writing the rest fails with EPIPE or ECONNRESET.
 * The status, headers and body text.
 */
function send({ method, path, headers, body }) {
	const { hostname, port } = new URL(n8n.baseUrl);
	return new Promise((resolveAnswer, reject) => {
		let answered = false;
		const outgoing = httpRequest(
			{
				agent: false,
				hostname,
				port,
				localAddress: nextSourceAddress(),
				method,
				path: `/webhook/${path}`,
				headers: { ...headers, 'content-length': String(body?.length ?? 0) },
			},
			(response) => {
				answered = true;
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('close', () =>
					resolveAnswer({
						status: response.statusCode,
						headers: response.headers,
						text: Buffer.concat(chunks).toString('utf8'),
					}),
				);
			},
		);
		outgoing.on('error', (error) => {
			if (!answered) reject(error);
		});
		outgoing.end(body);
	});
}

let sent = 0;

/**
 * Each request comes from its own loopback address (none ends in .0): the log summarises repeated
 * refusals of one address, and every refusal here must leave its own line to be counted.
 */
function nextSourceAddress() {
	do sent += 1;
	while ((sent & 255) === 0);
	return `127.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent & 255}`;
}

/** What a failure message shows of a request: enough to recognise it, never megabytes. */
function describeRequest({ method, path, headers, body, label }) {
	const shown = (value) =>
		[value]
			.flat()
			.map((part) => (part.length > 80 ? `${part.slice(0, 80)}… (${part.length} chars)` : part))
			.join(' | ');
	const headerLines = Object.entries(headers).map(([name, value]) => `  ${name}: ${shown(value)}`);
	const bodyText = body ? `${body.length} bytes: ${shown(body.toString('latin1'))}` : 'none';
	return [
		`${method} /webhook/${shown(path)} (${label})`,
		...headerLines,
		`  body ${bodyText}`,
	].join('\n');
}

/**
 * n8n's own answers to requests it refuses before any node runs (n8n 2.41.1, webhook-helpers.ts
 * `parseRequestBody`, body-parser.ts and webhook-form-data.ts): malformed JSON, a form or text
 * body in a charset Node.js does not know, and multipart bodies its form parser cannot read.
 */
const N8N_REFUSALS = [
	{ status: 422, message: 'Failed to parse request body' },
	{ status: 400, message: 'The submitted form data could not be parsed.' },
	{ status: 413, message: 'The submitted form data exceeds the allowed size.' },
];

/**
 * Who wrote an answer. n8n's error answers are {"code": <number>, "message": …, "hint": …} (with a
 * `stacktrace` field unless NODE_ENV=production), never with an `error` field; only the refusals
 * in N8N_REFUSALS are expected from it. Node.js's HTTP parser answers a request it cannot read
 * (headers over 16 KB: 431) with no body at all. The nodes of this package answer every refusal
 * with a string `error` and `message` and log it, which the test checks after the burst; anything
 * else is taken for theirs, so that an unexpected answer fails the test instead of being excused.
 */
function answeredBy(answer) {
	let body;
	try {
		body = JSON.parse(answer.text);
	} catch {
		body = undefined;
	}
	if (answer.text === '' && [400, 431].includes(answer.status)) return { by: 'node.js' };
	const fromN8n = N8N_REFUSALS.some(
		({ status, message }) =>
			answer.status === status &&
			body?.message === message &&
			typeof body.code === 'number' &&
			body.error === undefined,
	);
	return fromN8n ? { by: 'n8n', body } : { by: 'node', body };
}

const STACK_TRACE = /\bat [^\s]+ \(|\n\s+at |"stack(trace)?"/;

const answers = Object.fromEntries(Object.keys(ENDPOINTS).map((endpoint) => [endpoint, []]));

function judge(endpoint, index, request, answer) {
	const context = () =>
		`seed ${SEED} (replay with TEST_SEED=${SEED}), ${endpoint} request #${index}:\n${describeRequest(request)}\nanswered ${answer.status}: ${answer.text.slice(0, 400)}`;
	assert.ok(answer.status < 500, `a 5xx answer\n${context()}`);
	const { by, body } = answeredBy(answer);
	answers[endpoint].push({ status: answer.status, by, error: body?.error });
	if (by !== 'node') return;
	assert.doesNotMatch(answer.text, STACK_TRACE, `a stack trace in the answer\n${context()}`);
	if (endpoint === 'trigger') {
		// A 2xx from the trigger means an accepted event: a run started.
		assert.ok(answer.status >= 400, `the trigger accepted a generated request\n${context()}`);
	}
	if (answer.status >= 400) {
		assert.equal(typeof body?.error, 'string', `a refusal without a string "error"\n${context()}`);
		assert.equal(
			typeof body?.message,
			'string',
			`a refusal without a string "message"\n${context()}`,
		);
	} else {
		assert.ok([200, 304].includes(answer.status), `an unexpected success\n${context()}`);
	}
}

/** Runs every generated request, IN_FLIGHT at a time, the endpoints interleaved. */
async function burst() {
	const queue = [];
	for (let index = 0; index < REQUESTS_PER_ENDPOINT; index++) {
		for (const endpoint of Object.keys(ENDPOINTS)) queue.push({ endpoint, index });
	}
	let next = 0;
	let failed = false;
	async function sendAndJudge({ endpoint, index }) {
		const request = ENDPOINTS[endpoint](randomFor(endpoint, index));
		let answer;
		try {
			answer = await send(request);
		} catch (error) {
			assert.fail(
				`no answer (${error.code ?? error.message}), seed ${SEED}, ${endpoint} request #${index}:\n${describeRequest(request)}`,
			);
		}
		judge(endpoint, index, request, answer);
	}
	// The first failure stops every worker, so the test ends with it instead of running on.
	async function worker() {
		while (next < queue.length && !failed) {
			try {
				await sendAndJudge(queue[next++]);
			} catch (error) {
				failed = true;
				throw error;
			}
		}
	}
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** Refusals our nodes logged for a workflow (one line each). */
function loggedRefusals(workflow) {
	return n8n.refusalLines().filter((line) => line.includes(`workflow="${workflow}"`)).length;
}

test(`${REQUESTS_PER_ENDPOINT} generated requests per endpoint: no 5xx, only our JSON refusals, no execution`, async () => {
	console.log(`# robustness: seed ${SEED} (replay with TEST_SEED=${SEED})`);
	const started = Date.now();
	await burst();
	const seconds = ((Date.now() - started) / 1000).toFixed(1);

	const summary = Object.entries(answers).map(([endpoint, list]) => {
		const counts = {};
		for (const { status, by, error } of list) {
			const key = `${status} ${by === 'node' ? (error ?? '') : `(${by})`}`.trim();
			counts[key] = (counts[key] ?? 0) + 1;
		}
		return `${endpoint}: ${JSON.stringify(counts)}`;
	});
	console.log(
		`# ${Object.values(answers).flat().length} requests in ${seconds} s\n# ${summary.join('\n# ')}`,
	);

	assert.deepEqual(await n8n.executions(ids.trigger), [], 'executions of the trigger workflow');
	assert.deepEqual(await n8n.executions(ids.provider), [], 'executions of the provider workflow');

	// Every 4xx classified as ours is one refusal line in the log, so none of n8n's own answers was
	// taken for ours, nor the other way round. n8n writes its log asynchronously: wait for the lines.
	const ours = (list) => list.filter(({ by, status }) => by === 'node' && status >= 400).length;
	const expected = {
		[ids.trigger]: ours(answers.trigger) + ours(answers['trigger persist']),
		[ids.provider]: ours(answers['provider GET']) + ours(answers['provider publish']),
	};
	await pollUntil(
		() => Object.entries(expected).every(([workflow, count]) => loggedRefusals(workflow) >= count),
		(allLogged) => allLogged,
		{ timeoutMs: 15_000 },
	);
	for (const [workflow, count] of Object.entries(expected)) {
		assert.equal(loggedRefusals(workflow), count, `refusals logged for ${workflow}`);
	}
});

test('afterwards n8n still answers: a valid signed event runs once, the data URL answers 200', async () => {
	const body = JSON.stringify(flowEvent());
	const accepted = await fetch(n8n.webhookUrl(TRIGGER_PATH), {
		method: 'POST',
		headers: standardWebhookHeaders(body, { id: 'msg_after_the_burst' }),
		body,
	});
	assert.equal(accepted.status, 202, await accepted.text());
	const executions = await n8n.waitForExecutions(ids.trigger, 1);
	assert.equal(executions.length, 1);
	assert.equal(executions[0].status, 'success');

	const data = await fetch(n8n.webhookUrl(DATA_PATH), {
		headers: { authorization: `Bearer ${DATA_TOKEN}` },
	});
	assert.equal(data.status, 200);
	// The generated publishes left a list or a single object, whichever came last.
	assert.ok('data' in (await data.json()));
	// Still nothing recorded for the provider: every publish above went through its webhook.
	assert.deepEqual(await n8n.executions(ids.provider), []);
	assert.equal((await n8n.executions(ids.trigger)).length, 1);
});
