import { createHmac } from 'node:crypto';

import { hmacDigest } from '../../../../lib/signing/hmac';
import type { HmacProfile } from '../../../../lib/signing/profile';
import { parseSignedMessage } from '../../../../lib/signing/signedMessage';

const KEY = Buffer.from('unit key');
const BODY = '[{"eventId":1,"subscriptionType":"contact.creation"}]';
const URL = 'https://n8n.example.com/webhook/hubspot?portal=62515';
const MS = '1700000000123';

const profile: HmacProfile = {
	kind: 'hmac',
	label: 'Milliseconds',
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['x-sig'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	timestampHeaders: ['x-time'],
	timestampUnit: 'milliseconds',
	signedContent: '{method}{url}{body}{timestamp}',
};

const sig = (text: string) => createHmac('sha256', KEY).update(text).digest('base64');

describe('parseSignedMessage: timestamps in milliseconds', () => {
	it('signs the timestamp as sent and compares it in seconds', () => {
		const headers = { 'x-sig': sig(`POST${URL}${BODY}${MS}`), 'x-time': MS };
		const parsed = parseSignedMessage(profile, headers, { url: URL, method: 'post', body: BODY });
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.message.timestamp).toBe(1_700_000_000);
		expect(parsed.message.content).toEqual({ before: `POST${URL}`, after: MS });
		const digest = hmacDigest('sha256', KEY, parsed.message.content, BODY);
		expect(digest.toString('base64')).toBe(headers['x-sig']);
	});

	it.each([['1700000000.5'], ['17e11'], ['a'], ['1234567890123456']])(
		'refuses %s as a missing timestamp naming the unit',
		(time) => {
			const parsed = parseSignedMessage(profile, { 'x-sig': sig('x'), 'x-time': time });
			expect(parsed).toMatchObject({
				ok: false,
				reason: 'missing_timestamp',
				message: 'The x-time header is missing or is not a Unix time in milliseconds.',
			});
		},
	);

	it('still reads seconds for a profile that names no unit', () => {
		const seconds = { ...profile, timestampUnit: undefined };
		const parsed = parseSignedMessage(seconds, { 'x-sig': sig('x'), 'x-time': MS });
		expect(parsed).toMatchObject({
			ok: false,
			message: 'The x-time header is missing or is not a Unix time in seconds.',
		});
	});
});

describe('parseSignedMessage: a URL with or without its default port', () => {
	const headers = { 'x-sig': sig('x'), 'x-time': MS };
	const request = { url: 'https://n8n.example.com/webhook/a', method: 'POST', body: BODY };

	it('offers the URL written the other way as an alternative content, when the profile allows it', () => {
		const parsed = parseSignedMessage(
			{ ...profile, urlDefaultPortOptional: true },
			headers,
			request,
		);
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.message.alternatives).toEqual([
			{ before: 'POSThttps://n8n.example.com:443/webhook/a', after: MS },
		]);
	});

	it('offers none otherwise', () => {
		const parsed = parseSignedMessage(profile, headers, request);
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.message.alternatives).toBeUndefined();
	});
});

describe('parseSignedMessage: a timestamp in a body field (timestampFields)', () => {
	const bodyTimed: HmacProfile = {
		...profile,
		label: 'Body timestamp',
		timestampHeaders: undefined,
		timestampFields: ['meta.sentAt', 'webhookTimestamp'],
		signedContent: '{body}',
	};
	const JSON_TYPE = { 'content-type': 'application/json' };
	const parse = (body: string, headers: Record<string, string> = JSON_TYPE, of = bodyTimed) =>
		parseSignedMessage(of, { ...headers, 'x-sig': sig(body) }, { body });

	it('reads it from a JSON number, the first field present, in the profile unit', () => {
		const parsed = parse(`{"webhookTimestamp":${MS},"meta":{"other":1}}`);
		expect(parsed).toMatchObject({ ok: true, message: { timestamp: 1_700_000_000 } });
		expect(parse(`{"meta":{"sentAt":"${MS}"},"webhookTimestamp":1}`)).toMatchObject({
			message: { timestamp: 1_700_000_000 },
		});
	});

	it('reads it from a form field, and fills {timestamp} with it as sent', () => {
		const signing: HmacProfile = { ...bodyTimed, signedContent: '{timestamp}.' };
		const body = `webhookTimestamp=${MS}&token=t`;
		const parsed = parseSignedMessage(
			signing,
			{ 'content-type': 'application/x-www-form-urlencoded', 'x-sig': sig(`${MS}.`) },
			{ body },
		);
		expect(parsed).toMatchObject({
			ok: true,
			message: { timestamp: 1_700_000_000, content: { before: `${MS}.`, withoutBody: true } },
		});
	});

	it.each([
		['absent', '{"action":"create"}'],
		['null', '{"webhookTimestamp":null}'],
		['not a whole number', '{"webhookTimestamp":1.5}'],
		['an object', '{"webhookTimestamp":{"ms":1}}'],
		['in a body that is not JSON', '{"webhookTimestamp":'],
	])('refuses it %s as missing, naming the fields, whatever the headers say', (_, body) => {
		expect(parse(body, { ...JSON_TYPE, 'x-time': MS })).toEqual({
			ok: false,
			reason: 'missing_timestamp',
			message:
				'The body field meta.sentAt (or webhookTimestamp) is missing or is not a Unix time in milliseconds.',
			rawTimestamp: body === '{"webhookTimestamp":1.5}' ? '1.5' : undefined,
		});
	});
});

describe('parseSignedMessage: a signature, timestamp and nonce in body fields', () => {
	const inBody: HmacProfile = {
		kind: 'hmac',
		label: 'In the body',
		secretEncoding: 'text',
		algorithm: 'sha256',
		signature: {
			headers: [],
			fields: ['auth.signature'],
			encoding: 'hex',
			format: { kind: 'entries', separator: 'none', prefix: '' },
		},
		timestampFields: ['auth.time'],
		nonceFields: ['auth.nonce'],
		signedContent: '{timestamp}:{nonce}',
	};
	const hex = (text: string) => createHmac('sha256', KEY).update(text).digest('hex');
	const body = (auth: Record<string, unknown>) => JSON.stringify({ auth, data: { id: 'e1' } });
	const complete = { time: '1700000000', nonce: 'n-1', signature: hex('1700000000:n-1') };

	it('fills the signed content from the fields and leaves the body out of it', () => {
		const parsed = parseSignedMessage(inBody, {}, { body: Buffer.from(body(complete)) });
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.message).toMatchObject({
			content: { before: '1700000000:n-1', after: '', withoutBody: true },
			timestamp: 1_700_000_000,
			nonce: 'n-1',
		});
		const digest = hmacDigest('sha256', KEY, parsed.message.content, 'ignored');
		expect(parsed.message.candidates).toEqual([digest]);
	});

	it('reads a signature header first where the profile names one', () => {
		const both = { ...inBody, signature: { ...inBody.signature, headers: ['x-sig'] } };
		const sent = body({ ...complete, signature: 'not hex' });
		const parsed = parseSignedMessage(both, { 'x-sig': complete.signature }, { body: sent });
		expect(parsed.ok).toBe(true);
	});

	it.each([
		[{}, 'missing_signature', 'The body field auth.signature is missing.'],
		[
			{ ...complete, time: 'yesterday' },
			'missing_timestamp',
			'The body field auth.time is missing or is not a Unix time in seconds.',
		],
		[
			{ ...complete, nonce: undefined },
			'malformed_signature',
			'The body field auth.nonce is missing; it is part of the signed content.',
		],
		[
			{ ...complete, signature: 'zz' },
			'malformed_signature',
			'The body field auth.signature has no well-formed "<hex digest>" entry.',
		],
	])('refuses %j, naming the body field', (auth, reason, message) => {
		const parsed = parseSignedMessage(inBody, {}, { body: body(auth) });
		expect(parsed).toMatchObject({ ok: false, reason, message });
	});

	it('refuses a body that is no JSON as missing its signature', () => {
		expect(parseSignedMessage(inBody, {}, { body: 'auth=1' })).toMatchObject({
			ok: false,
			reason: 'missing_signature',
		});
	});
});

describe('parseSignedMessage: one signature header per key', () => {
	const perKey: HmacProfile = {
		...profile,
		signature: {
			headers: ['x-sig-primary', 'x-sig-secondary'],
			encoding: 'base64',
			format: { kind: 'entries', separator: 'none', prefix: '' },
			oneHeaderPerKey: true,
		},
		signedContent: '{body}',
	};
	const primary = sig('primary');
	const secondary = sig('secondary');

	it('reads the signature of every header sent', () => {
		const both = parseSignedMessage(perKey, {
			'x-sig-primary': primary,
			'x-sig-secondary': secondary,
		});
		if (!both.ok) throw new Error(both.message);
		expect(both.message.candidates.map((digest) => digest.toString('base64'))).toEqual([
			primary,
			secondary,
		]);
		const secondaryOnly = parseSignedMessage(perKey, { 'x-sig-secondary': secondary });
		if (!secondaryOnly.ok) throw new Error(secondaryOnly.message);
		expect(secondaryOnly.message.candidates).toHaveLength(1);
	});

	it('reads only the first header sent when the headers are aliases', () => {
		const aliases = { ...perKey, signature: { ...perKey.signature, oneHeaderPerKey: undefined } };
		const parsed = parseSignedMessage(aliases, {
			'x-sig-primary': primary,
			'x-sig-secondary': secondary,
		});
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.message.candidates).toHaveLength(1);
	});

	it('refuses a request with none of them as unsigned', () => {
		expect(parseSignedMessage(perKey, {})).toMatchObject({
			ok: false,
			reason: 'missing_signature',
			message: 'The x-sig-primary (or x-sig-secondary) header is missing.',
		});
	});
});
