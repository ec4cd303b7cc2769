import {
	outcomeFromError,
	outcomeFromResponse,
	RESPONSE_PREVIEW_CHARS,
} from '../../../../lib/delivery/attempt';

const calm = { timedOut: false, cancelled: false, timeoutMs: 10_000 };

function errorWithCode(code: string, message = `connect ${code}`): Error {
	return Object.assign(new Error(message), { code });
}

describe('outcomeFromResponse', () => {
	it('keeps the status, the Retry-After header and the body', () => {
		expect(
			outcomeFromResponse({ statusCode: 429, headers: { 'retry-after': '1' }, body: 'slow down' }),
		).toEqual({
			kind: 'response',
			status: 429,
			retryAfter: '1',
			body: 'slow down',
		});
	});

	it('finds Retry-After whatever its case, and takes the first of repeated values', () => {
		expect(
			outcomeFromResponse({ statusCode: 503, headers: { 'Retry-After': ['7', '9'] }, body: '' }),
		).toMatchObject({ retryAfter: '7' });
		expect(
			outcomeFromResponse({ statusCode: 503, headers: { 'RETRY-AFTER': 3 }, body: '' }),
		).toMatchObject({ retryAfter: '3' });
	});

	it('has no Retry-After when the receiver sent none', () => {
		expect(outcomeFromResponse({ statusCode: 500, headers: {}, body: '' })).toMatchObject({
			retryAfter: undefined,
		});
	});

	it(`keeps only the first ${RESPONSE_PREVIEW_CHARS} characters of the body`, () => {
		const outcome = outcomeFromResponse({ statusCode: 200, headers: {}, body: 'é'.repeat(5000) });
		expect(outcome).toMatchObject({ body: 'é'.repeat(RESPONSE_PREVIEW_CHARS) });
	});

	it.each([
		['nothing', undefined, ''],
		['null', null, ''],
		['bytes', Buffer.from('{"ok":true}'), '{"ok":true}'],
		['parsed JSON', { ok: true }, '{"ok":true}'],
	])('turns a body of %s into text', (_, body, text) => {
		expect(outcomeFromResponse({ statusCode: 202, headers: {}, body })).toMatchObject({
			body: text,
		});
	});
});

describe('outcomeFromError', () => {
	it('reports cancellation above everything else', () => {
		expect(
			outcomeFromError(errorWithCode('ECONNRESET'), { ...calm, cancelled: true, timedOut: true }),
		).toEqual({ kind: 'cancelled' });
	});

	it("reports the attempt's own deadline as a retryable timeout, whatever the client threw", () => {
		const aborted = Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' });
		expect(outcomeFromError(aborted, { ...calm, timedOut: true, timeoutMs: 250 })).toEqual({
			kind: 'failed',
			retryable: true,
			message: 'No answer within 250 ms',
		});
	});

	it.each(['ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT'])(
		"reports the client's %s as a retryable timeout",
		(code) => {
			expect(outcomeFromError(errorWithCode(code), calm)).toEqual({
				kind: 'failed',
				retryable: true,
				message: 'No answer within 10000 ms',
			});
		},
	);

	it.each([
		['ECONNREFUSED', 'Connection refused (ECONNREFUSED)'],
		['ECONNRESET', 'Connection reset by the receiver (ECONNRESET)'],
		['ENOTFOUND', 'Host not found (ENOTFOUND)'],
		['EAI_AGAIN', 'DNS lookup failed temporarily (EAI_AGAIN)'],
		['EHOSTUNREACH', 'Host unreachable (EHOSTUNREACH)'],
		['EPIPE', 'Connection closed by the receiver (EPIPE)'],
	])('retries the network error %s', (code, message) => {
		expect(outcomeFromError(errorWithCode(code), calm)).toEqual({
			kind: 'failed',
			retryable: true,
			message,
		});
	});

	it('finds a network error code under an outer error with a code of its own', () => {
		const wrapped = Object.assign(
			new Error('request failed', { cause: errorWithCode('ECONNRESET') }),
			{
				code: 'ERR_HTTP_CLIENT',
			},
		);
		expect(outcomeFromError(wrapped, calm)).toMatchObject({
			retryable: true,
			message: 'Connection reset by the receiver (ECONNRESET)',
		});
	});

	it('is not fooled by codes that name object properties', () => {
		expect(outcomeFromError(errorWithCode('constructor', 'odd'), calm)).toEqual({
			kind: 'failed',
			retryable: false,
			message: 'odd',
		});
	});

	it('stops following causes that loop', () => {
		const looping: Error & { cause?: unknown } = new Error('loop');
		looping.cause = looping;
		expect(outcomeFromError(looping, calm)).toMatchObject({ retryable: false, message: 'loop' });
	});

	it('finds a network error code in the cause chain', () => {
		const wrapped = new Error('request failed', {
			cause: new Error('inner', { cause: errorWithCode('ECONNREFUSED') }),
		});
		expect(outcomeFromError(wrapped, calm)).toMatchObject({
			retryable: true,
			message: 'Connection refused (ECONNREFUSED)',
		});
	});

	it("does not retry what fails the same way every time, such as n8n's outbound policy refusing the address", () => {
		const blocked = Object.assign(
			new Error('The request was blocked because it resolves to a restricted IP address'),
			{
				name: 'SsrfBlockedIpError',
			},
		);
		expect(outcomeFromError(blocked, calm)).toEqual({
			kind: 'failed',
			retryable: false,
			message: 'The request was blocked because it resolves to a restricted IP address',
		});
		expect(
			outcomeFromError(
				errorWithCode('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match'),
				calm,
			),
		).toMatchObject({
			retryable: false,
		});
	});

	it('copes with things thrown that are not errors', () => {
		expect(outcomeFromError('boom', calm)).toEqual({
			kind: 'failed',
			retryable: false,
			message: 'The request failed',
		});
		expect(outcomeFromError(undefined, calm)).toMatchObject({ retryable: false });
	});

	it('never copies the request (and its signature headers) from the client error', () => {
		const clientError = Object.assign(new Error('socket hang up'), {
			code: 'ECONNRESET',
			config: { headers: { 'webhook-signature': 'v1,SECRET-DERIVED' } },
		});
		const unknownError = Object.assign(new Error('odd failure'), {
			config: { headers: { 'webhook-signature': 'v1,SECRET-DERIVED' } },
		});
		for (const error of [clientError, unknownError]) {
			expect(JSON.stringify(outcomeFromError(error, calm))).not.toContain('SECRET-DERIVED');
		}
	});
});
