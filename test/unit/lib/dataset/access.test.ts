import {
	acceptedTokenKey,
	accessTokens,
	checkAccess,
	tokensProblem,
	type AccessRule,
} from '../../../../lib/dataset/access';

const TOKEN = 'example-main-token-0123';
const ROTATED = 'example-rotated-token-9876';
const bearer: AccessRule = { kind: 'bearer', tokens: [TOKEN, ROTATED] };
const header: AccessRule = { kind: 'header', headerName: 'X-API-Key', tokens: [TOKEN] };

describe('checkAccess: None', () => {
	it('lets every request through', () => {
		expect(checkAccess({}, { kind: 'none' })).toBeNull();
	});
});

describe('checkAccess: Bearer token', () => {
	it('accepts each configured token', () => {
		expect(checkAccess({ authorization: `Bearer ${TOKEN}` }, bearer)).toBeNull();
		expect(checkAccess({ authorization: `Bearer ${ROTATED}` }, bearer)).toBeNull();
	});

	it('accepts the scheme in any case and extra spaces', () => {
		expect(checkAccess({ authorization: `bearer ${TOKEN}` }, bearer)).toBeNull();
		expect(checkAccess({ authorization: `BEARER   ${TOKEN}  ` }, bearer)).toBeNull();
	});

	it('challenges a request without credentials, with no error code (RFC 6750 §3.1)', () => {
		expect(checkAccess({}, bearer)).toEqual({
			status: 401,
			body: {
				error: 'unauthorized',
				message: 'Send a valid token as "Authorization: Bearer <token>".',
			},
			headers: { 'WWW-Authenticate': 'Bearer realm="n8n"' },
		});
	});

	it.each([
		['a wrong token', 'Bearer wrong-token-0123456789'],
		['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
		['the token with more after it', `Bearer ${TOKEN}x`],
		['another scheme', `Basic ${TOKEN}`],
		['no token', 'Bearer'],
		['the bare token', TOKEN],
		['two tokens', `Bearer ${TOKEN} ${ROTATED}`],
	])('refuses %s with error="invalid_token"', (_, authorization) => {
		expect(checkAccess({ authorization }, bearer)).toMatchObject({
			status: 401,
			headers: { 'WWW-Authenticate': 'Bearer realm="n8n", error="invalid_token"' },
		});
	});

	it('never accepts when no token is configured', () => {
		expect(checkAccess({ authorization: 'Bearer ' }, { kind: 'bearer', tokens: [] })?.status).toBe(
			401,
		);
	});
});

describe('checkAccess: Custom header', () => {
	it('accepts the token in the named header, whatever its case', () => {
		expect(checkAccess({ 'x-api-key': TOKEN }, header)).toBeNull();
		expect(checkAccess({ 'X-Api-Key': TOKEN }, header)).toBeNull();
	});

	it('refuses a missing or wrong header, naming it', () => {
		const expected = {
			status: 401,
			body: { error: 'unauthorized', message: 'Send a valid token in the X-API-Key header.' },
			headers: { 'WWW-Authenticate': 'ApiKey header="X-API-Key"' },
		};
		expect(checkAccess({}, header)).toEqual(expected);
		expect(checkAccess({ 'x-api-key': 'wrong' }, header)).toEqual(expected);
		expect(checkAccess({ authorization: `Bearer ${TOKEN}` }, header)).toEqual(expected);
	});
});

describe('accessTokens', () => {
	it('lists the main token, then the additional ones split on commas and whitespace', () => {
		expect(accessTokens(' a ', 'b, c\nd  e,,')).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('drops blanks and repeats', () => {
		expect(accessTokens('a', 'a, ,b')).toEqual(['a', 'b']);
		expect(accessTokens('', '')).toEqual([]);
		expect(accessTokens('a')).toEqual(['a']);
	});
});

describe('tokensProblem', () => {
	it('accepts long tokens in base64, base64url and hex', () => {
		expect(
			tokensProblem([
				'q83vEjRWeJq8o+/m1hTEsA==',
				'q83vEjRWeJq8o-_m1hTEsA',
				'abcdef0123456789abcdef',
			]),
		).toBeUndefined();
	});

	it('wants at least one token', () => {
		expect(tokensProblem([])).toBe('Enter at least one token.');
	});

	it('refuses short tokens, saying which', () => {
		expect(tokensProblem(['short'])).toMatch(/^The token is too short: use at least 16 characters/);
		expect(tokensProblem([TOKEN, 'short'])).toMatch(/^Additional token 1 is too short/);
	});

	it.each([
		'token with spaces 123',
		'token"quoted"123456',
		'tökenwithumlaut12345',
		'=leadingequals123456',
	])('refuses characters a header cannot carry: %p', (token) => {
		expect(tokensProblem([token])).toMatch(/may only contain letters, digits/);
	});
});

describe('acceptedTokenKey', () => {
	it('names each accepted token by a stable key that does not reveal it', () => {
		const main = acceptedTokenKey({ authorization: `Bearer ${TOKEN}` }, bearer);
		const rotated = acceptedTokenKey({ authorization: `Bearer ${ROTATED}` }, bearer);
		expect(main).toMatch(/^[0-9a-f]{16}$/);
		expect(rotated).toMatch(/^[0-9a-f]{16}$/);
		expect(main).not.toBe(rotated);
		expect(acceptedTokenKey({ authorization: `bearer  ${TOKEN}` }, bearer)).toBe(main);
		expect(acceptedTokenKey({ 'x-api-key': TOKEN }, header)).toBe(main);
		expect(main).not.toContain(TOKEN.slice(0, 8));
	});

	it('gives no key for a missing, unknown or misplaced token, nor without authentication', () => {
		expect(acceptedTokenKey({}, bearer)).toBeUndefined();
		expect(
			acceptedTokenKey({ authorization: 'Bearer example-unknown-token-01' }, bearer),
		).toBeUndefined();
		expect(acceptedTokenKey({ authorization: TOKEN }, bearer)).toBeUndefined();
		expect(acceptedTokenKey({ authorization: `Bearer ${TOKEN}` }, header)).toBeUndefined();
		expect(
			acceptedTokenKey({ authorization: `Bearer ${TOKEN}` }, { kind: 'none' }),
		).toBeUndefined();
	});
});
