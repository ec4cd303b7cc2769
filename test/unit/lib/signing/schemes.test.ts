import { createHmac } from 'node:crypto';

import {
	eventSources,
	isSignable,
	schemeHeaders,
	schemeSecretEncoding,
	schemeSecretProblem,
	signatureHeaderNames,
	type SignableScheme,
	type SignatureScheme,
} from '../../../../lib/signing/schemes';
import { signWebhook } from '../../../../lib/signing/sign';
import { verifyWebhook, type VerifyOptions } from '../../../../lib/signing/verify';
import type { HeaderBag } from '../../../../lib/http/headers';
import { whsec } from '../../../support/events.cjs';

// What every signature scheme does alike, written once and run for each scheme; what only one
// scheme does is in its own file (standardWebhooks, github, stripe, customHmac).

const SHARED = 'shared value one';
const PREVIOUS = 'shared value zero';
const SHARED_AS_WHSEC = whsec(SHARED);
const T = 1_700_000_000;
const ID = 'evt_42';
const BODY = '{"event":"order.created","order":{"id":42,"title":"Found a bug","total":"19.99"}}';

type Body = string | Buffer;

/** An HMAC over `parts` in order, computed without the code under test. */
const hmac = (algorithm: string, secret: string, ...parts: Body[]) =>
	parts.reduce((mac, part) => mac.update(part), createHmac(algorithm, Buffer.from(secret, 'utf8')));

interface SchemeUnderTest {
	name: string;
	scheme: SignableScheme;
	/** One signature as a sender of this scheme writes it, computed without the code under test. */
	entry: (body: Body, secret: string, timestamp: number, id: string) => string;
	/** The request headers carrying `entries` (listed in one header as the scheme allows), the timestamp and the id. */
	headers: (entries: string[], timestamp: number | string | undefined, id: string) => HeaderBag;
	/** An entry of the scheme's shape that no secret produced. */
	forged: string;
	/** An entry the scheme cannot read. */
	malformed: string;
	/** What a successful verification reports besides ok. */
	reports: { id?: string; timestamp?: number };
	/** Whether the scheme signs a timestamp and so has a replay window. */
	timed: boolean;
	/** Whether a "whsec_" secret is base64-decoded (Standard Webhooks) or used as text (the senders' own rule). */
	decodesWhsec: boolean;
}

const SCHEMES: SchemeUnderTest[] = [
	{
		name: 'Standard Webhooks',
		scheme: { kind: 'standardWebhooks' },
		entry: (body, secret, timestamp, id) =>
			`v1,${hmac('sha256', secret, `${id}.${timestamp}.`, body).digest('base64')}`,
		headers: (entries, timestamp, id) => ({
			'webhook-id': id,
			...(timestamp === undefined ? {} : { 'webhook-timestamp': String(timestamp) }),
			'webhook-signature': entries.join(' '),
		}),
		forged: `v1,${Buffer.alloc(32, 7).toString('base64')}`,
		malformed: 'v1,not*base64!',
		reports: { id: ID, timestamp: T },
		timed: true,
		decodesWhsec: true,
	},
	{
		name: 'GitHub style',
		scheme: { kind: 'github' },
		entry: (body, secret) => `sha256=${hmac('sha256', secret, body).digest('hex')}`,
		headers: (entries, _timestamp, id) => ({
			'X-GitHub-Delivery': id,
			'X-Hub-Signature-256': entries.join(' '),
		}),
		forged: `sha256=${'ab'.repeat(32)}`,
		malformed: 'sha256=123',
		reports: { id: ID },
		timed: false,
		decodesWhsec: false,
	},
	{
		name: 'Stripe style',
		scheme: { kind: 'stripe' },
		entry: (body, secret, timestamp) =>
			`v1=${hmac('sha256', secret, `${timestamp}.`, body).digest('hex')}`,
		headers: (entries, timestamp) => ({
			'Stripe-Signature': [...(timestamp === undefined ? [] : [`t=${timestamp}`]), ...entries].join(
				',',
			),
		}),
		forged: `v1=${'ab'.repeat(32)}`,
		malformed: 'v1=abc',
		reports: { timestamp: T },
		timed: true,
		decodesWhsec: false,
	},
	{
		name: 'Custom HMAC (hex)',
		scheme: {
			kind: 'customHmac',
			signatureHeader: 'X-Signature',
			algorithm: 'sha256',
			encoding: 'hex',
		},
		entry: (body, secret) => hmac('sha256', secret, body).digest('hex'),
		headers: (entries) => ({ 'X-Signature': entries.join(' ') }),
		forged: 'ab'.repeat(32),
		malformed: 'abc',
		reports: {},
		timed: false,
		decodesWhsec: false,
	},
	{
		name: 'Custom HMAC (base64, prefix, timestamp, id)',
		scheme: {
			kind: 'customHmac',
			signatureHeader: 'X-Signature',
			algorithm: 'sha512',
			encoding: 'base64',
			prefix: 'v1=',
			timestampHeader: 'X-Timestamp',
			idHeader: 'X-Event-Id',
		},
		entry: (body, secret, timestamp) =>
			`v1=${hmac('sha512', secret, `${timestamp}.`, body).digest('base64')}`,
		headers: (entries, timestamp, id) => ({
			'X-Signature': entries.join(' '),
			...(timestamp === undefined ? {} : { 'X-Timestamp': String(timestamp) }),
			'X-Event-Id': id,
		}),
		forged: `v1=${Buffer.alloc(64, 7).toString('base64')}`,
		malformed: 'v1=abc',
		reports: { id: ID, timestamp: T },
		timed: true,
		decodesWhsec: false,
	},
];

const TIMED = SCHEMES.filter((entry) => entry.timed);
const UNTIMED = SCHEMES.filter((entry) => !entry.timed);
const named = (schemes: SchemeUnderTest[]) =>
	schemes.map((entry) => [entry.name, entry] as [string, SchemeUnderTest]);

const BODIES: Array<[string, Body]> = [
	['an empty body', ''],
	['a JSON body', BODY],
	['a unicode body', '{"name":"Zoë ✓ 東京 🚀","note":"Crème brûlée, naïve café"}'],
	['a 64 KB body', 'x'.repeat(64 * 1024)],
	['a binary body', Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a])],
];

describe.each(named(SCHEMES))('every scheme: %s', (_, under) => {
	const { scheme } = under;
	/** The request a sender of the scheme sends, signed with `secret` at `timestamp`. */
	const sent = (body: Body = BODY, secret = SHARED, timestamp = T) =>
		under.headers([under.entry(body, secret, timestamp, ID)], timestamp, ID);
	const verify = (overrides: Partial<VerifyOptions> = {}) =>
		verifyWebhook({ scheme, headers: sent(), body: BODY, secrets: [SHARED], now: T, ...overrides });
	const signatureName = Object.keys(under.headers(['x'], T, ID)).find((name) =>
		signatureHeaderNames(scheme).includes(name.toLowerCase()),
	) as string;
	const withSignature = (value: string | undefined) => {
		const changed: HeaderBag = sent();
		if (value === undefined) delete changed[signatureName];
		else changed[signatureName] = value;
		return changed;
	};

	describe('signing', () => {
		it.each(BODIES)('signs %s as a sender computes it independently', (_case, body) => {
			expect(signWebhook({ scheme, secret: SHARED, body, id: ID, timestamp: T })).toEqual(
				sent(body),
			);
		});

		it.each(BODIES)(
			'verifies its own signature over %s and reports what it carries',
			(_c, body) => {
				const headers = signWebhook({ scheme, secret: SHARED, body, id: ID, timestamp: T });
				expect(verifyWebhook({ scheme, headers, body, secrets: [SHARED], now: T })).toEqual({
					ok: true,
					...under.reports,
				});
			},
		);

		it('refuses to sign with an empty secret', () => {
			expect(() => signWebhook({ scheme, secret: '  ', body: BODY, id: ID, timestamp: T })).toThrow(
				/empty/,
			);
		});

		it('reads a "whsec_<base64 of X>" secret as its senders do: X, or the whole text', () => {
			const signed = signWebhook({
				scheme,
				secret: SHARED_AS_WHSEC,
				body: BODY,
				id: ID,
				timestamp: T,
			});
			const key = under.decodesWhsec ? SHARED : SHARED_AS_WHSEC;
			expect(signed).toEqual(under.headers([under.entry(BODY, key, T, ID)], T, ID));
		});

		it('lists every header that carries the signature, and only those, in signatureHeaderNames', () => {
			const headers = signWebhook({ scheme, secret: SHARED, body: BODY, id: ID, timestamp: T });
			const names = signatureHeaderNames(scheme);
			const listed = Object.keys(headers).filter((name) => names.includes(name.toLowerCase()));
			expect(listed).toEqual([signatureName]);
			const kept = Object.entries(headers).filter(([name]) => !listed.includes(name));
			// What is left (ids, timestamps) no longer verifies: the signature is gone.
			expect(verify({ headers: Object.fromEntries(kept) })).toMatchObject({
				ok: false,
				reason: 'missing_signature',
			});
		});
	});

	describe('verification', () => {
		it('accepts a request signed independently and reports its id and timestamp as the scheme carries them', () => {
			expect(verify()).toEqual({ ok: true, ...under.reports });
		});

		it('accepts the body as bytes exactly like the same body as a string', () => {
			expect(verify({ body: Buffer.from(BODY, 'utf8') }).ok).toBe(true);
		});

		it('checks the exact bytes: a binary body decoded to text and back no longer verifies', () => {
			const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
			const headers = sent(bytes);
			expect(verify({ headers, body: bytes }).ok).toBe(true);
			expect(verify({ headers, body: bytes.toString('utf8') })).toMatchObject({
				ok: false,
				reason: 'signature_mismatch',
			});
		});

		it.each(BODIES)('verifies %s a sender signed', (_case, body) => {
			expect(verify({ headers: sent(body), body }).ok).toBe(true);
		});

		it.each([
			['a changed body', BODY.replace('42', '43')],
			['re-serialised JSON (whitespace added)', JSON.stringify(JSON.parse(BODY), null, 2)],
			['a whitespace change', BODY.replace(':', ': ')],
			['a trailing newline', `${BODY}\n`],
			['an empty body', ''],
			['a unicode look-alike', BODY.replace('a bug', 'а bug')],
		])('rejects %s as signature_mismatch', (_case, body) => {
			expect(verify({ body })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		});

		it('rejects a signature made with another secret', () => {
			expect(verify({ secrets: ['some other shared value'] })).toMatchObject({
				ok: false,
				reason: 'signature_mismatch',
			});
		});

		it('rejects every request when no secret is configured', () => {
			expect(verify({ secrets: [] })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		});

		it('reads the header names in any casing', () => {
			const upper = Object.entries(sent()).map(([name, value]) => [name.toUpperCase(), value]);
			expect(verify({ headers: Object.fromEntries(upper) })).toEqual({
				ok: true,
				...under.reports,
			});
		});

		it('tries every signature in the header when only the last is valid', () => {
			const valid = under.entry(BODY, SHARED, T, ID);
			const headers = under.headers([under.forged, under.malformed, valid], T, ID);
			expect(verify({ headers })).toEqual({ ok: true, ...under.reports });
		});

		it('rejects a header holding only forged signatures', () => {
			const headers = under.headers([under.forged, under.forged], T, ID);
			expect(verify({ headers })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		});

		it('accepts a signature made with the previous secret during a rotation', () => {
			const headers = sent(BODY, PREVIOUS);
			expect(verify({ headers, secrets: [SHARED, PREVIOUS] })).toEqual({
				ok: true,
				...under.reports,
			});
		});

		it('still accepts the current secret while a previous one is configured', () => {
			expect(verify({ secrets: [SHARED, PREVIOUS] }).ok).toBe(true);
		});

		it('rejects a signature made with a secret that has been rotated out', () => {
			expect(verify({ headers: sent(BODY, PREVIOUS) })).toMatchObject({
				ok: false,
				reason: 'signature_mismatch',
			});
		});

		it('accepts a header carrying signatures for both secrets during a rotation', () => {
			const both = [under.entry(BODY, PREVIOUS, T, ID), under.entry(BODY, SHARED, T, ID)];
			const headers = under.headers(both, T, ID);
			expect(verify({ headers, secrets: [SHARED] }).ok).toBe(true);
			expect(verify({ headers, secrets: [PREVIOUS] }).ok).toBe(true);
		});

		it.each([
			['no signature header', undefined],
			['an empty signature header', ''],
			['a blank signature header', ' \t '],
		])('answers %s with missing_signature', (_case, value) => {
			expect(verify({ headers: withSignature(value) })).toMatchObject({
				ok: false,
				reason: 'missing_signature',
			});
		});

		it('answers a signature it cannot read with malformed_signature', () => {
			const headers = under.headers([under.malformed], T, ID);
			expect(verify({ headers })).toMatchObject({ ok: false, reason: 'malformed_signature' });
		});

		it.each([
			['a changed body', { body: 'tampered' }],
			['a malformed header', { headers: under.headers([under.malformed], T, ID) }],
			['a missing header', { headers: {} }],
			...(under.timed
				? [
						['a stale timestamp', { now: T + 1000 }],
						[
							'a missing timestamp',
							{ headers: under.headers([under.entry(BODY, SHARED, T, ID)], undefined, ID) },
						],
					]
				: []),
		] as Array<[string, Partial<VerifyOptions>]>)(
			'gives a human message for %s that contains neither the secret nor the expected signature',
			(_case, overrides) => {
				const result = verify(overrides);
				expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/\w{3,}/) });
				const text = JSON.stringify(result);
				expect(text).not.toContain(SHARED);
				for (const body of [BODY, 'tampered']) {
					const expected = under.entry(body, SHARED, T, ID);
					expect(text).not.toContain(expected.slice(expected.search(/[=,]/) + 1));
				}
			},
		);
	});
});

describe.each(named(TIMED))('every scheme that signs a timestamp: %s', (_, under) => {
	const { scheme } = under;
	const sent = (body: Body = BODY, timestamp = T) =>
		under.headers([under.entry(body, SHARED, timestamp, ID)], timestamp, ID);
	const verify = (overrides: Partial<VerifyOptions> = {}) =>
		verifyWebhook({ scheme, headers: sent(), body: BODY, secrets: [SHARED], now: T, ...overrides });

	it.each([
		[-300, true],
		[300, true],
		[-301, false],
		[301, false],
		[0, true],
		[86_400, false],
	])('with the clock %i s from the timestamp, accepted is %s', (offset, accepted) => {
		const result = verify({ now: T + offset });
		expect(result.ok).toBe(accepted);
		if (!accepted) expect(result).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
	});

	it('honours a custom tolerance', () => {
		expect(verify({ now: T + 61, toleranceSeconds: 60 })).toMatchObject({
			reason: 'timestamp_out_of_tolerance',
		});
		expect(verify({ now: T - 60, toleranceSeconds: 60 }).ok).toBe(true);
	});

	it('checks the window against the real clock by default', () => {
		const now = Math.floor(Date.now() / 1000);
		expect(verify({ headers: sent(BODY, now), now: undefined }).ok).toBe(true);
		expect(verify({ now: undefined })).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
	});

	it('signs the timestamp: another timestamp gives another signature', () => {
		const at = (timestamp: number) =>
			signWebhook({ scheme, secret: SHARED, body: BODY, id: ID, timestamp });
		expect(at(T)).not.toEqual(at(T + 1));
		expect(under.entry(BODY, SHARED, T, ID)).not.toBe(under.entry(BODY, SHARED, T + 1, ID));
	});

	it('rejects a changed timestamp inside the tolerance as signature_mismatch', () => {
		const headers = under.headers([under.entry(BODY, SHARED, T, ID)], T + 1, ID);
		expect(verify({ headers })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('rejects a replayed request whose timestamp was moved into the window', () => {
		const stale = under.entry(BODY, SHARED, T - 3600, ID);
		expect(verify({ headers: under.headers([stale], T, ID) })).toMatchObject({
			reason: 'signature_mismatch',
		});
		expect(verify({ headers: under.headers([stale], T - 3600, ID) })).toMatchObject({
			reason: 'timestamp_out_of_tolerance',
		});
	});

	it.each([
		['no timestamp', undefined],
		['an empty timestamp', ''],
		['a non-numeric timestamp', 'yesterday'],
		['a fractional timestamp', `${T}.5`],
		['a negative timestamp', `-${T}`],
	])('answers %s with missing_timestamp', (_case, timestamp) => {
		const headers = under.headers([under.entry(BODY, SHARED, T, ID)], timestamp, ID);
		expect(verify({ headers })).toMatchObject({ ok: false, reason: 'missing_timestamp' });
	});
});

describe.each(named(UNTIMED))('every scheme that signs no timestamp: %s', (_, under) => {
	const { scheme } = under;
	const headers = under.headers([under.entry(BODY, SHARED, T, ID)], T, ID);

	it('signs no timestamp: the signature is the same for any timestamp', () => {
		const at = (timestamp: number) =>
			signWebhook({ scheme, secret: SHARED, body: BODY, id: ID, timestamp });
		expect(at(1)).toEqual(at(2_000_000_000));
	});

	it.each([
		['long ago', 0],
		['far in the future', 4_000_000_000],
	])('has no replay window: a clock %s does not matter', (_case, now) => {
		const result = verifyWebhook({
			scheme,
			headers: { ...headers, 'x-timestamp': 'garbage', 'webhook-timestamp': 'garbage' },
			body: BODY,
			secrets: [SHARED],
			now,
			toleranceSeconds: 1,
		});
		expect(result).toEqual({ ok: true, ...under.reports });
	});
});

test('no scheme counts id or timestamp headers among its signature headers, which are useful to keep', () => {
	const all = SCHEMES.flatMap((entry) => signatureHeaderNames(entry.scheme));
	for (const name of [
		'webhook-id',
		'webhook-timestamp',
		'x-github-delivery',
		'x-timestamp',
		'x-event-id',
	]) {
		expect(all).not.toContain(name);
	}
});

/** A small deterministic generator so a failing case can be replayed. */
function generator(seed: number) {
	let state = seed >>> 0 || 1;
	const next = () => {
		state ^= state << 13;
		state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state / 2 ** 32;
	};
	const int = (below: number) => Math.floor(next() * below);
	const pick = <V>(values: readonly V[]): V => values[int(values.length)];
	return { next, int, pick };
}

type Generator = ReturnType<typeof generator>;

const FRAGMENTS = [
	'v1,',
	'v1=',
	'v0=',
	'v2,',
	't=',
	'T=',
	'sha256=',
	'SHA256=',
	'sha1=',
	'HMAC ',
	'=',
	'==',
	',',
	' ',
	'  ',
	'\t',
	'-',
	'.',
	':',
	';',
	'1700000000',
	'-1700000000',
	'999999999999',
	'1e9',
	'0',
	'NaN',
	'00',
	'ab'.repeat(32),
	'AB'.repeat(32),
	'ab'.repeat(20),
	'ab'.repeat(64),
	Buffer.alloc(32, 9).toString('base64'),
	Buffer.alloc(64, 3).toString('base64'),
	Buffer.alloc(20, 1).toString('base64'),
	'whsec_',
	'\u0000',
	'é',
	'東',
	'\ud800',
	'constructor',
	'__proto__',
	'toString',
];

function randomUnicode(random: Generator): string {
	return Array.from({ length: random.int(90) }, () =>
		String.fromCharCode(random.int(0x10000)),
	).join('');
}

function randomLatin1(random: Generator): string {
	return Buffer.from(Array.from({ length: random.int(200) }, () => random.int(256))).toString(
		'latin1',
	);
}

function randomStructured(random: Generator): string {
	return Array.from({ length: random.int(12) }, () => random.pick(FRAGMENTS)).join('');
}

function mutate(random: Generator, text: string): string {
	let result = text;
	for (let edits = 1 + random.int(3); edits > 0; edits--) {
		const at = random.int(result.length + 1);
		const insert =
			random.next() < 0.5 ? String.fromCharCode(random.int(256)) : random.pick(FRAGMENTS);
		const operation = random.int(3);
		if (operation === 0) result = result.slice(0, at) + insert + result.slice(at);
		else if (operation === 1) result = result.slice(0, at) + result.slice(at + 1);
		else result = result.slice(0, at) + insert + result.slice(at + 1);
	}
	return result;
}

function randomValue(random: Generator): string | string[] {
	const one = () => random.pick([randomUnicode, randomLatin1, randomStructured])(random);
	return random.next() < 0.2 ? Array.from({ length: 1 + random.int(3) }, one) : one();
}

function randomCase(random: Generator, name: string): string {
	return [...name].map((char) => (random.next() < 0.5 ? char.toUpperCase() : char)).join('');
}

const HEADER_NAMES = [
	'webhook-id',
	'webhook-timestamp',
	'webhook-signature',
	'x-hub-signature-256',
	'x-hub-signature',
	'x-github-delivery',
	'stripe-signature',
	'x-signature',
	'x-timestamp',
	'x-event-id',
];

const FUZZ_SCHEMES: Array<[string, SignableScheme]> = [
	...SCHEMES.map((entry): [string, SignableScheme] => [entry.name, entry.scheme]),
	[
		'Custom HMAC (sha1, "HMAC " prefix)',
		{
			kind: 'customHmac',
			signatureHeader: 'x-signature',
			algorithm: 'sha1',
			encoding: 'base64',
			prefix: 'HMAC ',
		},
	],
	[
		'Custom HMAC (prefix with a comma)',
		{
			kind: 'customHmac',
			signatureHeader: 'x-signature',
			algorithm: 'sha256',
			encoding: 'hex',
			prefix: 'v1,',
		},
	],
];

const REASONS = [
	'missing_signature',
	'malformed_signature',
	'missing_timestamp',
	'timestamp_out_of_tolerance',
	'signature_mismatch',
];

describe('every scheme: hostile header values', () => {
	const ROUNDS = 1500;

	it.each(FUZZ_SCHEMES)('%s never throws and never accepts random header values', (_, scheme) => {
		const random = generator(
			0x5eed + FUZZ_SCHEMES.findIndex(([, candidate]) => candidate === scheme),
		);
		const problems: string[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			const headers: HeaderBag = {};
			for (const name of HEADER_NAMES) {
				if (random.next() < 0.8) headers[randomCase(random, name)] = randomValue(random);
			}
			const body =
				random.next() < 0.5 ? randomLatin1(random) : Buffer.from(randomLatin1(random), 'latin1');
			try {
				const result = verifyWebhook({
					scheme,
					headers,
					body,
					secrets: [SHARED, SHARED_AS_WHSEC],
					now: T,
				});
				if (result.ok || !REASONS.includes(result.reason) || !result.message) {
					problems.push(
						`accepted or odd result ${JSON.stringify(result)} for ${JSON.stringify(headers)}`,
					);
				}
			} catch (error) {
				problems.push(`threw ${String(error)} for ${JSON.stringify(headers)}`);
			}
		}
		expect(problems.slice(0, 3)).toEqual([]);
	});

	it.each(FUZZ_SCHEMES)(
		'%s never throws on mutations of a valid request, and rejects most of them',
		(_, scheme) => {
			const random = generator(
				0xbad + FUZZ_SCHEMES.findIndex(([, candidate]) => candidate === scheme),
			);
			const signed = signWebhook({
				scheme,
				secret: SHARED,
				body: BODY,
				id: 'evt_fuzz',
				timestamp: T,
			});
			expect(
				verifyWebhook({ scheme, headers: signed, body: BODY, secrets: [SHARED], now: T }).ok,
			).toBe(true);
			const signatureNames = signatureHeaderNames(scheme);
			const problems: string[] = [];
			let signatureMutations = 0;
			let signatureRejections = 0;
			for (let round = 0; round < ROUNDS; round++) {
				const headers: HeaderBag = { ...signed };
				const name = random.pick(Object.keys(signed));
				const mutated = mutate(random, signed[name]);
				delete headers[name];
				headers[random.next() < 0.3 ? randomCase(random, name) : name] = mutated;
				try {
					const result = verifyWebhook({ scheme, headers, body: BODY, secrets: [SHARED], now: T });
					if (!result.ok && (!REASONS.includes(result.reason) || !result.message)) {
						problems.push(`odd result ${JSON.stringify(result)}`);
					}
					if (signatureNames.includes(name.toLowerCase()) && mutated !== signed[name]) {
						signatureMutations++;
						if (!result.ok) signatureRejections++;
					}
				} catch (error) {
					problems.push(`threw ${String(error)} for ${JSON.stringify(headers)}`);
				}
			}
			expect(problems.slice(0, 3)).toEqual([]);
			// Edits that only add whitespace or an extra entry may keep the signature intact; most edits must break it.
			expect(signatureMutations).toBeGreaterThan(ROUNDS / 5);
			expect(signatureRejections / signatureMutations).toBeGreaterThan(0.95);
		},
	);
});

const STANDARD: SignableScheme = { kind: 'standardWebhooks' };

describe('schemeHeaders', () => {
	it.each<[SignableScheme, string[]]>([
		[STANDARD, ['webhook-id', 'webhook-timestamp', 'webhook-signature']],
		[{ kind: 'github' }, ['X-Hub-Signature-256']],
		[{ kind: 'stripe' }, ['Stripe-Signature']],
		[
			{ kind: 'customHmac', signatureHeader: 'X-Sig', algorithm: 'sha256', encoding: 'hex' },
			['X-Sig'],
		],
		[
			{
				kind: 'customHmac',
				signatureHeader: 'X-Sig',
				algorithm: 'sha256',
				encoding: 'hex',
				timestampHeader: 'X-Time',
			},
			['X-Time', 'X-Sig'],
		],
		[
			{ kind: 'mailgun' },
			[
				'signature.timestamp (body field)',
				'signature.token (body field)',
				'signature.signature (body field)',
			],
		],
	])('lists what a sender must send for %j', (scheme, headers) => {
		expect(schemeHeaders(scheme)).toEqual(headers);
	});
});

describe('the public-key senders (Discord, SendGrid)', () => {
	it('are the only named senders the nodes cannot sign as', () => {
		const unsignable = (
			[
				'standardWebhooks',
				'github',
				'stripe',
				'shopify',
				'gitlab',
				'mux',
				'discord',
				'sendgrid',
			] as const
		).filter((kind) => !isSignable({ kind }));
		expect(unsignable).toEqual(['discord', 'sendgrid']);
		expect(isSignable({ kind: 'token', header: 'Authorization' })).toBe(true);
	});

	it.each<[SignatureScheme, string[], string[]]>([
		[
			{ kind: 'discord' },
			['X-Signature-Timestamp', 'X-Signature-Ed25519'],
			['x-signature-ed25519'],
		],
		[
			{ kind: 'sendgrid' },
			['X-Twilio-Email-Event-Webhook-Timestamp', 'X-Twilio-Email-Event-Webhook-Signature'],
			['x-twilio-email-event-webhook-signature'],
		],
	])('name what %j sends and which header carries the signature', (scheme, sent, signature) => {
		expect(schemeHeaders(scheme)).toEqual(sent);
		expect(signatureHeaderNames(scheme)).toEqual(signature);
	});

	it("read the credential's field as a public key, in the form the sender shows it", () => {
		expect(schemeSecretEncoding({ kind: 'discord' })).toBe('ed25519Hex');
		expect(schemeSecretEncoding({ kind: 'sendgrid' })).toBe('spkiBase64');
		expect(schemeSecretProblem({ kind: 'discord' }, 'a'.repeat(64))).toBeUndefined();
		expect(schemeSecretProblem({ kind: 'discord' }, SHARED)).toMatch(/64 hexadecimal/);
		expect(schemeSecretProblem({ kind: 'sendgrid' }, SHARED)).toMatch(/P-256 key/);
		expect(schemeSecretProblem(STANDARD, SHARED)).toBeUndefined();
		expect(schemeSecretProblem(STANDARD, 'whsec_***')).toMatch(/valid base64/);
	});
});

describe('eventSources', () => {
	it("reads a sender's own body fields while the user names none", () => {
		expect(eventSources({ kind: 'hubspot' })).toMatchObject({
			typeField: '',
			autoTypeFields: ['subscriptionType'],
			idField: 'eventId',
		});
	});

	it('puts the fields and headers the user names first', () => {
		const chosen = { typeField: 'kind', idField: 'ref', typeHeader: 'X-Kind', idHeader: 'X-Ref' };
		expect(eventSources({ kind: 'github' }, chosen)).toEqual({
			typeHeaders: ['X-Kind', 'X-GitHub-Event'],
			idHeaders: ['X-Ref', 'X-GitHub-Delivery'],
			typeField: 'kind',
			autoTypeFields: undefined,
			idField: 'ref',
		});
	});

	it("reads a sender's id fields and request id headers only while the user names no id field", () => {
		expect(eventSources({ kind: 'slack' })).toMatchObject({
			autoIdFields: ['event_id', 'trigger_id'],
		});
		expect(eventSources({ kind: 'twilio' })).toMatchObject({
			idHeaders: ['I-Twilio-Idempotency-Token'],
		});
		const named = { idField: 'MessageSid', idHeader: 'X-Ref' };
		expect(eventSources({ kind: 'slack' }, named).autoIdFields).toBeUndefined();
		expect(eventSources({ kind: 'twilio' }, named)).toMatchObject({
			idHeaders: ['X-Ref'],
			idField: 'MessageSid',
		});
	});

	it('leaves the defaults to normalisation without a sender of its own', () => {
		expect(eventSources(null, { typeField: ' auto ' })).toEqual({
			typeHeaders: [],
			idHeaders: [],
			typeField: 'auto',
			autoTypeFields: undefined,
			idField: 'id',
		});
	});
});
