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
