import {
	MAX_DESTINATIONS,
	resolveDestinations,
	type DestinationInput,
} from '../../../../lib/delivery/destinations';

const reserved = [
	'content-type',
	'user-agent',
	'webhook-id',
	'webhook-timestamp',
	'webhook-signature',
];
const resolve = (inputs: DestinationInput[]) => resolveDestinations(inputs, reserved);
const urls = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ url: `https://receiver.example/${index}` }));

describe('resolveDestinations: how many', () => {
	it('needs at least one destination', () => {
		expect(resolve([])).toEqual({ kind: 'invalid', message: 'Add at least one destination URL.' });
	});

	it.each([1, MAX_DESTINATIONS])('accepts %i destinations', (count) => {
		expect(resolve(urls(count))).toMatchObject({
			kind: 'valid',
			destinations: urls(count).map(({ url }) => ({ url, headers: {} })),
		});
	});

	it('refuses more than five, saying how many there are', () => {
		expect(resolve(urls(6))).toEqual({
			kind: 'invalid',
			message:
				'Notify sends to at most 5 destinations, but 6 are configured. Split them over several Notify nodes.',
		});
	});
});

describe('resolveDestinations: URLs', () => {
	it('accepts http and https URLs and trims them', () => {
		expect(
			resolve([{ url: ' http://127.0.0.1:8080/hook ' }, { url: 'https://example.com/a?b=c' }]),
		).toMatchObject({
			kind: 'valid',
			destinations: [{ url: 'http://127.0.0.1:8080/hook' }, { url: 'https://example.com/a?b=c' }],
		});
	});

	it.each([
		['an empty URL', '', 'Destination 1: the URL is empty.'],
		['a missing URL', undefined, 'Destination 1: the URL is empty.'],
		['a relative URL', '/hooks', 'Destination 1: "/hooks" is not a valid URL.'],
		['text', 'not a url', 'Destination 1: "not a url" is not a valid URL.'],
		[
			'an ftp URL',
			'ftp://example.com/x',
			'Destination 1: only http:// and https:// URLs are supported.',
		],
		[
			'a file URL',
			'file:///etc/passwd',
			'Destination 1: only http:// and https:// URLs are supported.',
		],
		[
			'a javascript URL',
			'javascript:alert(1)',
			'Destination 1: only http:// and https:// URLs are supported.',
		],
	])('refuses %s', (_, url, message) => {
		expect(resolve([{ url }])).toEqual({ kind: 'invalid', message });
	});

	it('refuses credentials inside the URL, which would show up in reports', () => {
		for (const url of ['https://user:pass@example.com/hook', 'https://token@example.com/hook']) {
			const result = resolve([{ url }]);
			expect(result).toMatchObject({
				kind: 'invalid',
				message: expect.stringContaining('user name or password'),
			});
			expect(JSON.stringify(result)).not.toContain('pass@');
		}
	});

	it('names the position of the faulty destination', () => {
		expect(
			resolve([
				{ url: 'https://a.example' },
				{ url: 'https://b.example' },
				{ url: 'mailto:x@y.z' },
			]),
		).toMatchObject({
			message: expect.stringMatching(/^Destination 3: /),
		});
	});

	it('refuses the same URL twice, which would deliver every event twice to one receiver', () => {
		expect(
			resolve([
				{ url: 'https://a.example/x' },
				{ url: 'https://b.example' },
				{ url: ' https://a.example/x' },
			]),
		).toEqual({
			kind: 'invalid',
			message: 'Destination 3: the URL repeats that of destination 1.',
		});
	});
});

describe('resolveDestinations: extra headers', () => {
	const withHeaders = (headers: DestinationInput['headers']) =>
		resolve([{ url: 'https://example.com', headers }]);

	it('passes well-formed headers through', () => {
		expect(
			withHeaders([
				{ name: 'X-Api-Key', value: 'k1' },
				{ name: 'x-tenant', value: 42 },
			]),
		).toMatchObject({
			kind: 'valid',
			destinations: [{ headers: { 'X-Api-Key': 'k1', 'x-tenant': '42' } }],
		});
	});

	it('skips rows left completely blank', () => {
		expect(withHeaders([{ name: '', value: '' }, { name: '  ' }])).toMatchObject({
			kind: 'valid',
			destinations: [{ headers: {} }],
		});
	});

	it.each([
		['a value without a name', [{ name: '', value: 'orphan' }], '"" is not a valid header name.'],
		['a name with a space', [{ name: 'X Api', value: 'v' }], '"X Api" is not a valid header name.'],
		['a name with a colon', [{ name: 'x-a:', value: 'v' }], '"x-a:" is not a valid header name.'],
		[
			'a value with a line break',
			[{ name: 'x-a', value: 'v\r\nInjected: yes' }],
			'the value of the x-a header contains a line break.',
		],
		[
			'the same header twice',
			[
				{ name: 'X-A', value: '1' },
				{ name: 'x-a', value: '2' },
			],
			'the x-a header is set twice.',
		],
		[
			'the content type',
			[{ name: 'Content-Type', value: 'text/plain' }],
			'Notify sets the Content-Type header itself; remove it from the extra headers.',
		],
		[
			'a signature header',
			[{ name: 'Webhook-Signature', value: 'v1,forged' }],
			'Notify sets the Webhook-Signature header itself; remove it from the extra headers.',
		],
	])('refuses %s', (_, headers, problem) => {
		expect(withHeaders(headers)).toEqual({ kind: 'invalid', message: `Destination 1: ${problem}` });
	});
});
