import { createHash } from 'node:crypto';

import type { HmacProfile } from '../../../../lib/signing/profile';
import {
	requestValues,
	sortedFormParams,
	withBodyHash,
	withDefaultPortToggled,
} from '../../../../lib/signing/signedRequest';

const JSON_BODY = '{"type":"call.completed"}';
const HASH = createHash('sha256').update(JSON_BODY).digest('hex');

const formProfile: HmacProfile = {
	kind: 'hmac',
	label: 'Form',
	secretEncoding: 'text',
	algorithm: 'sha1',
	signature: {
		headers: ['x-sig'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	signedContent: '{url}{formParams}',
	bodyHashParameter: 'bodySHA256',
};

describe('sortedFormParams', () => {
	it('writes each field as name then value, sorted by name, decoded', () => {
		expect(sortedFormParams('To=%2B15005550006&From=%2B14158675310&Body=Hello+there')).toBe(
			'BodyHello thereFrom+14158675310To+15005550006',
		);
	});

	it('sorts the values of a repeated name and counts a repeated value once', () => {
		expect(sortedFormParams('b=2&a=z&a=y&a=z')).toBe('aya' + 'zb2');
	});

	it('is empty for an empty body', () => {
		expect(sortedFormParams('')).toBe('');
	});
});

describe('withBodyHash', () => {
	it.each([
		['https://h.example/p', `https://h.example/p?bodySHA256=${HASH}`],
		['https://h.example/p?a=1', `https://h.example/p?a=1&bodySHA256=${HASH}`],
		['https://h.example/p?a=1&bodySHA256=sent', `https://h.example/p?a=1&bodySHA256=${HASH}`],
		['https://h.example/p?bodySHA256=sent&a=1', `https://h.example/p?a=1&bodySHA256=${HASH}`],
		['https://h.example/p?bodySHA256=sent', `https://h.example/p?bodySHA256=${HASH}`],
	])('puts the body’s own hash last in %s', (url, expected) => {
		expect(withBodyHash(url, 'bodySHA256', JSON_BODY)).toBe(expected);
	});
});

describe('requestValues', () => {
	const url = 'https://h.example/p';

	it('signs a form through its fields, and leaves its URL as it is', () => {
		const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
		expect(requestValues(formProfile, headers, { url, method: 'post', body: 'b=2&a=1' })).toEqual({
			url,
			method: 'POST',
			formParams: 'a1b2',
		});
	});

	it('signs any other body through its hash in the URL, with no fields', () => {
		const headers = { 'content-type': 'application/json' };
		expect(requestValues(formProfile, headers, { url, body: JSON_BODY })).toEqual({
			url: `${url}?bodySHA256=${HASH}`,
			method: undefined,
			formParams: '',
		});
	});

	it('leaves the URL alone for a profile without a body hash parameter', () => {
		const plain = { ...formProfile, bodyHashParameter: undefined };
		expect(requestValues(plain, {}, { url, body: JSON_BODY }).url).toBe(url);
	});
});

describe('withDefaultPortToggled', () => {
	it.each([
		['https://h.example/p?a=1', 'https://h.example:443/p?a=1'],
		['https://h.example:443/p', 'https://h.example/p'],
		['http://h.example/p', 'http://h.example:80/p'],
		['http://h.example:80', 'http://h.example'],
		['HTTPS://user:pass@h.example/p', 'HTTPS://user:pass@h.example:443/p'],
		['https://[::1]/p', 'https://[::1]:443/p'],
		['https://h.example:8443/p', undefined],
		['http://h.example:443/p', undefined],
		['ftp://h.example/p', undefined],
	])('writes %s the other way about its default port: %s', (url, toggled) => {
		expect(withDefaultPortToggled(url)).toBe(toggled);
	});
});
