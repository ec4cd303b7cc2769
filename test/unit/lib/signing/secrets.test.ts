import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

import {
	activeSecrets,
	hmacKey,
	SecretFormatError,
	secretProblem,
	secretToKey,
} from '../../../../lib/signing/secrets';
import { readHeader, type HeaderBag } from '../../../../lib/http/headers';
import { schemeFromParameters } from '../../../../lib/signing/fromParameters';
import { signatureHeaderNames, type SignableScheme } from '../../../../lib/signing/schemes';
import { signWebhook } from '../../../../lib/signing/sign';
import { verifyWebhook } from '../../../../lib/signing/verify';
import { whsec } from '../../../support/events.cjs';

const T = 1_700_000_000;
const BODY = '{"type":"flow.finished","data":{"ok":true}}';
const PHRASE = 'plain shared phrase';
const PHRASE_AS_WHSEC = whsec(PHRASE);

describe('secretToKey', () => {
	it('base64-decodes what follows "whsec_"', () => {
		expect(secretToKey('whsec_aGVsbG8gd29ybGQ=', 'whsecOrText')).toEqual(
			Buffer.from('hello world'),
		);
		expect(secretToKey(PHRASE_AS_WHSEC, 'whsecOrText')).toEqual(Buffer.from(PHRASE));
	});

	it('decodes the published Standard Webhooks secret to its 24 bytes', () => {
		const decoded = secretToKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsecOrText');
		expect(decoded).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
		expect(decoded).toHaveLength(24);
	});

	it.each([
		['ASCII text', 'plain shared phrase'],
		['unicode text', 'clé partagée ✓ 東京 🔑'],
		['text that happens to be base64', 'aGVsbG8gd29ybGQ='],
		['text with an upper-case WHSEC_ prefix', 'WHSEC_aGVsbG8gd29ybGQ='],
		['text mentioning whsec_ later on', 'my whsec_aGVsbG8='],
	])('uses %s without the prefix as its UTF-8 bytes', (_, text) => {
		expect(secretToKey(text, 'whsecOrText')).toEqual(Buffer.from(text, 'utf8'));
	});

	it('ignores whitespace pasted around either form of secret', () => {
		expect(secretToKey(`  ${PHRASE}\n`, 'whsecOrText')).toEqual(Buffer.from(PHRASE));
		expect(secretToKey(`\t${PHRASE_AS_WHSEC} \r\n`, 'whsecOrText')).toEqual(Buffer.from(PHRASE));
	});

	it('keeps whitespace inside a text secret', () => {
		expect(secretToKey('two  words', 'whsecOrText')).toEqual(Buffer.from('two  words'));
	});

	it('says what is wrong with a secret without throwing, and nothing for a usable one', () => {
		expect(secretProblem(PHRASE_AS_WHSEC, 'whsecOrText')).toBeUndefined();
		expect(secretProblem('any text secret', 'whsecOrText')).toBeUndefined();
		expect(secretProblem('  ', 'whsecOrText')).toBe('The signing secret is empty.');
		expect(secretProblem('whsec_***', 'whsecOrText')).toMatch(/must continue with valid base64/);
	});

	it.each([[''], [' '], ['\n\t  ']])(
		'rejects an empty secret (%j) with SecretFormatError',
		(text) => {
			expect(() => secretToKey(text, 'whsecOrText')).toThrow(SecretFormatError);
			expect(() => secretToKey(text, 'whsecOrText')).toThrow(/empty/);
		},
	);

	it.each([
		['"whsec_" alone', 'whsec_'],
		['spaces and punctuation', 'whsec_not base64 at all!'],
		['a length that is not a multiple of four', 'whsec_abcde'],
		['padding in the middle', 'whsec_ab==cdef'],
		['too much padding', 'whsec_a==='],
		['only padding', 'whsec_===='],
		['base64url characters', 'whsec_ab-_cd-_'],
		['a second prefix', 'whsec_whsec_aGVsbG8='],
	])(
		'rejects a "whsec_" secret with %s, with a message that helps and does not echo it',
		(_, text) => {
			let thrown: unknown;
			try {
				secretToKey(text, 'whsecOrText');
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(SecretFormatError);
			const message = (thrown as Error).message;
			expect(message).toMatch(/whsec_/);
			expect(message).toMatch(/base64/);
			const rest = text.slice('whsec_'.length);
			if (rest.length > 3) expect(message).not.toContain(rest);
		},
	);

	it.each([['whsec_not base64 at all!'], ['whsec_===='], ['whsec_ab-_cd-_']])(
		'agrees with the reference library that %s is unusable',
		(text) => {
			expect(() => new Webhook(text)).toThrow();
			expect(() => secretToKey(text, 'whsecOrText')).toThrow(SecretFormatError);
		},
	);

	it('makes signing fail loudly on a malformed secret instead of signing with garbage', () => {
		expect(() =>
			signWebhook({
				scheme: { kind: 'standardWebhooks' },
				secret: 'whsec_%%%',
				body: BODY,
				id: 'msg_1',
				timestamp: T,
			}),
		).toThrow(SecretFormatError);
	});

	it('makes verification fail loudly on a malformed configured secret (a configuration error, not request input)', () => {
		const headers = signWebhook({
			scheme: { kind: 'standardWebhooks' },
			secret: PHRASE,
			body: BODY,
			id: 'd',
			timestamp: T,
		});
		expect(() =>
			verifyWebhook({
				scheme: { kind: 'standardWebhooks' },
				headers,
				body: BODY,
				secrets: ['whsec_%%%'],
				now: T,
			}),
		).toThrow(SecretFormatError);
	});

	it('keys the HMAC with the bytes the encoding gives, as an independent computation shows', () => {
		const sign = (scheme: SignableScheme) =>
			signWebhook({ scheme, secret: PHRASE_AS_WHSEC, body: BODY, id: 'd', timestamp: T })[
				'X-Hub-Signature-256'
			];
		const keyedWith = (key: string | Buffer) =>
			`sha256=${createHmac('sha256', key).update(BODY).digest('hex')}`;
		expect(sign({ kind: 'github' })).toBe(keyedWith(PHRASE_AS_WHSEC));
		expect(sign({ kind: 'github', secretEncoding: 'whsecOrText' })).toBe(keyedWith(PHRASE));
	});
});

describe('secretToKey per encoding', () => {
	it('uses a text secret exactly as given, a "whsec_" prefix included (Stripe, GitHub)', () => {
		expect(secretToKey(' whsec_Wb2qJ6N4 ', 'text')).toEqual(Buffer.from('whsec_Wb2qJ6N4'));
		expect(secretToKey('whsec_%%%', 'text')).toEqual(Buffer.from('whsec_%%%'));
	});

	it('base64-decodes with or without a "whsec_" prefix, as Svix libraries do', () => {
		expect(secretToKey('aGVsbG8gd29ybGQ=', 'base64')).toEqual(Buffer.from('hello world'));
		expect(secretToKey('whsec_aGVsbG8gd29ybGQ=', 'base64')).toEqual(Buffer.from('hello world'));
		expect(new Webhook('aGVsbG8gd29ybGQ=').sign('m', new Date(T * 1000), BODY)).toBe(
			new Webhook('whsec_aGVsbG8gd29ybGQ=').sign('m', new Date(T * 1000), BODY),
		);
	});

	it('hex-decodes a hex secret, in either case', () => {
		expect(secretToKey('00ff10AB', 'hex')).toEqual(Buffer.from([0x00, 0xff, 0x10, 0xab]));
	});

	it.each([
		['base64', 'not base64!', /must be base64/],
		['base64', 'whsec_', /must be base64/],
		['hex', 'abc', /must be hexadecimal/],
		['hex', 'zz', /must be hexadecimal/],
		['text', '   ', /empty/],
	] as const)('says what is wrong with a %s secret %j', (encoding, secret, problem) => {
		expect(secretProblem(secret, encoding)).toMatch(problem);
		expect(() => secretToKey(secret, encoding)).toThrow(SecretFormatError);
	});
});

describe('hmacKey', () => {
	const digest = (key: Parameters<typeof createHmac>[1]) =>
		createHmac('sha256', key).update(BODY).digest('hex');

	it('is the key of the secret read with the encoding, whichever secret came before', () => {
		const secrets = ['aGVsbG8gd29ybGQ=', PHRASE, 'aGVsbG8gd29ybGQ='];
		for (const secret of secrets) {
			expect(digest(hmacKey(secret, 'text'))).toBe(digest(secretToKey(secret, 'text')));
			expect(digest(hmacKey(secret, 'whsecOrText'))).toBe(digest(secret));
		}
		expect(digest(hmacKey('aGVsbG8gd29ybGQ=', 'base64'))).toBe(digest('hello world'));
	});

	it('still gives each secret its own key once more secrets were used than it keeps ready', () => {
		const secrets = Array.from({ length: 200 }, (_, index) => `secret-${index}`);
		for (const secret of [...secrets, ...secrets.reverse()])
			expect(digest(hmacKey(secret, 'text'))).toBe(digest(secret));
	});

	it('throws on a malformed secret, every time', () => {
		expect(() => hmacKey('zz', 'hex')).toThrow(SecretFormatError);
		expect(() => hmacKey('zz', 'hex')).toThrow(SecretFormatError);
	});
});

describe('activeSecrets', () => {
	it.each([
		['the current secret alone', ['one'], ['one']],
		['current first, then previous', ['one', 'two'], ['one', 'two']],
		['several previous ones in order', ['one', 'two', 'three'], ['one', 'two', 'three']],
		['an undefined previous secret skipped', ['one', undefined], ['one']],
		['blank previous secrets skipped', ['one', '', '   ', undefined, 'four'], ['one', 'four']],
		['a blank current secret skipped', ['', 'two'], ['two']],
		['nothing when everything is blank', ['  ', undefined, ''], []],
	])('returns %s', (_, input, expected) => {
		const [current, ...previous] = input as [string, ...Array<string | undefined>];
		expect(activeSecrets(current, ...previous)).toEqual(expected);
	});

	it('lets verification accept both sides of a rotation', () => {
		const scheme: SignableScheme = { kind: 'stripe' };
		const secrets = activeSecrets('new shared phrase', 'old shared phrase');
		for (const signer of ['new shared phrase', 'old shared phrase']) {
			const headers = signWebhook({ scheme, secret: signer, body: BODY, id: 'e', timestamp: T });
			expect(verifyWebhook({ scheme, headers, body: BODY, secrets, now: T }).ok).toBe(true);
		}
		const stranger = signWebhook({
			scheme,
			secret: 'older shared phrase',
			body: BODY,
			id: 'e',
			timestamp: T,
		});
		expect(verifyWebhook({ scheme, headers: stranger, body: BODY, secrets, now: T })).toMatchObject(
			{
				reason: 'signature_mismatch',
			},
		);
	});
});

describe('schemeFromParameters per node version', () => {
	it.each([['standardWebhooks'], ['github'], ['stripe']])(
		'keeps version 1 reading a "%s" secret one way: whsec_ decoded, any other as text',
		(kind) => {
			expect(schemeFromParameters({ scheme: kind }, 1)).toEqual({
				kind,
				secretEncoding: 'whsecOrText',
			});
		},
	);

	it('keeps version 1 Custom HMAC on that reading, whatever Secret Encoding says', () => {
		expect(schemeFromParameters({ scheme: 'customHmac', secretEncoding: 'hex' }, 1)).toMatchObject({
			secretEncoding: 'whsecOrText',
		});
	});

	it('takes Secret Encoding on version 2, text when unknown', () => {
		for (const secretEncoding of ['text', 'base64', 'hex'])
			expect(schemeFromParameters({ scheme: 'customHmac', secretEncoding }, 2)).toMatchObject({
				secretEncoding,
			});
		expect(
			schemeFromParameters({ scheme: 'customHmac', secretEncoding: 'rot13' }, 2),
		).toMatchObject({ secretEncoding: 'text' });
	});

	it('reads a shared token the same on every version', () => {
		for (const version of [1, 2])
			expect(schemeFromParameters({ scheme: 'token', tokenHeader: ' X-Token ' }, version)).toEqual({
				kind: 'token',
				header: 'X-Token',
			});
	});
});

describe('schemeFromParameters', () => {
	it.each([['standardWebhooks'], ['github'], ['stripe']])('maps "%s" to that scheme', (kind) => {
		expect(schemeFromParameters({ scheme: kind }, 2)).toEqual({ kind });
	});

	it.each([['none'], [''], ['GitHub'], ['hmac'], ['unknown']])(
		'treats "%s" as unsigned (null)',
		(kind) => {
			expect(schemeFromParameters({ scheme: kind }, 2)).toBeNull();
		},
	);

	it('ignores custom fields for the fixed schemes', () => {
		expect(
			schemeFromParameters({ scheme: 'github', signatureHeader: 'x-other', algorithm: 'sha1' }, 2),
		).toEqual({
			kind: 'github',
		});
	});

	it('fills in defaults for a bare custom scheme', () => {
		expect(schemeFromParameters({ scheme: 'customHmac' }, 2)).toEqual({
			kind: 'customHmac',
			signatureHeader: 'x-signature',
			algorithm: 'sha256',
			encoding: 'hex',
			prefix: undefined,
			timestampHeader: undefined,
			idHeader: undefined,
			secretEncoding: 'text',
		});
	});

	it('treats blank custom fields as not set', () => {
		expect(
			schemeFromParameters(
				{
					scheme: 'customHmac',
					signatureHeader: '  ',
					algorithm: '',
					encoding: '',
					prefix: ' ',
					timestampHeader: '\t',
					idHeader: '',
				},
				2,
			),
		).toEqual(schemeFromParameters({ scheme: 'customHmac' }, 2));
	});

	it('keeps every configured custom field, trimming header names', () => {
		expect(
			schemeFromParameters(
				{
					scheme: 'customHmac',
					signatureHeader: ' X-Acme-Signature ',
					algorithm: 'sha512',
					encoding: 'base64',
					prefix: 'sha512=',
					timestampHeader: ' X-Acme-Timestamp',
					idHeader: 'X-Acme-Id ',
				},
				2,
			),
		).toEqual({
			kind: 'customHmac',
			signatureHeader: 'X-Acme-Signature',
			algorithm: 'sha512',
			encoding: 'base64',
			prefix: 'sha512=',
			timestampHeader: 'X-Acme-Timestamp',
			idHeader: 'X-Acme-Id',
			secretEncoding: 'text',
		});
	});

	it.each([['sha1'], ['sha256'], ['sha512']])('accepts the %s algorithm', (algorithm) => {
		expect(schemeFromParameters({ scheme: 'customHmac', algorithm }, 2)).toMatchObject({
			algorithm,
		});
	});

	it.each([['md5'], ['SHA256'], ['sha384']])(
		'falls back to sha256 for the unsupported algorithm %s',
		(algorithm) => {
			expect(schemeFromParameters({ scheme: 'customHmac', algorithm }, 2)).toMatchObject({
				algorithm: 'sha256',
			});
		},
	);

	it.each([['base64url'], ['HEX'], ['binary']])(
		'falls back to hex for the unsupported encoding %s',
		(encoding) => {
			expect(schemeFromParameters({ scheme: 'customHmac', encoding }, 2)).toMatchObject({
				encoding: 'hex',
			});
		},
	);

	it('produces a custom scheme that verifies a request a sender signed independently', () => {
		const scheme = schemeFromParameters(
			{
				scheme: 'customHmac',
				signatureHeader: 'X-Acme-Signature',
				algorithm: 'sha1',
				encoding: 'base64',
				prefix: 'sha1=',
				timestampHeader: 'X-Acme-Timestamp',
				idHeader: 'X-Acme-Id',
			},
			2,
		) as SignableScheme;
		const digest = createHmac('sha1', PHRASE).update(`${T}.${BODY}`).digest('base64');
		const headers = {
			'x-acme-signature': `sha1=${digest}`,
			'x-acme-timestamp': String(T),
			'x-acme-id': 'evt_7',
		};
		expect(verifyWebhook({ scheme, headers, body: BODY, secrets: [PHRASE], now: T })).toEqual({
			ok: true,
			id: 'evt_7',
			timestamp: T,
		});
	});
});

describe('signatureHeaderNames', () => {
	it.each([
		['Standard Webhooks', { kind: 'standardWebhooks' }, ['webhook-signature', 'svix-signature']],
		['GitHub style', { kind: 'github' }, ['x-hub-signature-256', 'x-hub-signature']],
		['Stripe style', { kind: 'stripe' }, ['stripe-signature']],
		[
			'Custom HMAC',
			{
				kind: 'customHmac',
				signatureHeader: 'X-Acme-Signature',
				algorithm: 'sha256',
				encoding: 'hex',
			},
			['x-acme-signature'],
		],
	] as Array<[string, SignableScheme, string[]]>)(
		'lists the lower-case signature headers of %s',
		(_, scheme, names) => {
			expect(signatureHeaderNames(scheme)).toEqual(names);
		},
	);
});

describe('readHeader', () => {
	it.each([
		['an exact lower-case name', { 'x-thing': 'v' }, 'x-thing', 'v'],
		['a capitalised stored name', { 'X-Thing': 'v' }, 'x-thing', 'v'],
		['an upper-case stored name', { 'X-THING': 'v' }, 'x-thing', 'v'],
		['an odd-case requested name', { 'x-thing': 'v' }, 'X-tHiNg', 'v'],
		['odd casing on both sides', { 'x-ThInG': 'v' }, 'X-tHiNg', 'v'],
	] as Array<[string, HeaderBag, string, string]>)('finds %s', (_, headers, name, expected) => {
		expect(readHeader(headers, name)).toBe(expected);
	});

	it('joins a repeated header with a space, in order', () => {
		expect(readHeader({ 'x-thing': ['a', 'b', 'c'] }, 'x-thing')).toBe('a b c');
	});

	it('joins a repeated header stored under an odd-case name', () => {
		expect(readHeader({ 'X-Thing': ['first', 'second'] }, 'x-thing')).toBe('first second');
	});

	it('trims surrounding whitespace', () => {
		expect(readHeader({ 'x-thing': '  value \t' }, 'x-thing')).toBe('value');
		expect(readHeader({ 'x-thing': [' a', 'b '] }, 'x-thing')).toBe('a b');
	});

	it.each([
		['an absent header', {}],
		['an undefined value', { 'x-thing': undefined }],
		['an empty value', { 'x-thing': '' }],
		['a blank value', { 'x-thing': ' \t ' }],
		['an empty array', { 'x-thing': [] }],
		['an array of blanks', { 'X-Thing': ['', ' '] }],
		['only a different header', { 'x-thing-2': 'v', 'x-thin': 'w' }],
	] as Array<[string, HeaderBag]>)('answers undefined for %s', (_, headers) => {
		expect(readHeader(headers, 'x-thing')).toBeUndefined();
	});

	it('is not fooled by an undefined lower-case entry next to a real value in another casing', () => {
		expect(readHeader({ 'x-thing': undefined, 'X-Thing': 'real' }, 'x-thing')).toBe('real');
		expect(readHeader({ 'X-Thing': undefined, 'X-THING': 'real' }, 'x-thing')).toBe('real');
	});

	it('prefers the exact lower-case entry when two casings both carry values', () => {
		expect(readHeader({ 'X-Thing': 'upper', 'x-thing': 'lower' }, 'x-thing')).toBe('lower');
	});
});
