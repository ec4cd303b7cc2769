import { checkToken, tokenHeaderValue } from '../../../../lib/signing/token';
import type { TokenProfile } from '../../../../lib/signing/profile';

const GITLAB: TokenProfile = { kind: 'token', label: 'GitLab', header: 'X-Gitlab-Token' };
const BEARER: TokenProfile = { kind: 'token', label: 'Shared Token', header: 'Authorization' };

describe('shared token', () => {
	it('accepts the current or the previous secret, compared as text', () => {
		expect(checkToken(GITLAB, { 'x-gitlab-token': 'current' }, ['current', 'old'])).toEqual({
			ok: true,
		});
		expect(checkToken(GITLAB, { 'X-Gitlab-Token': 'old' }, ['current', 'old'])).toEqual({
			ok: true,
		});
	});

	it.each([
		['another token', 'currentX'],
		['a prefix of it', 'curr'],
		['the token as a bearer token in another header', 'Bearer current'],
	])('refuses %s with signature_mismatch', (_, sent) => {
		expect(checkToken(GITLAB, { 'x-gitlab-token': sent }, ['current'])).toEqual({
			ok: false,
			reason: 'signature_mismatch',
			message: 'The X-Gitlab-Token header does not hold the shared token.',
		});
	});

	it('refuses a request without the header with missing_signature', () => {
		expect(checkToken(GITLAB, {}, ['current'])).toMatchObject({
			ok: false,
			reason: 'missing_signature',
		});
	});

	it('reads Authorization as a bearer token, in any case', () => {
		for (const sent of ['Bearer current', 'bearer current', 'BEARER   current']) {
			expect(checkToken(BEARER, { authorization: sent }, ['current']).ok).toBe(true);
		}
		expect(checkToken(BEARER, { authorization: 'Basic current' }, ['current']).ok).toBe(false);
	});

	it('sends the token as the header value, and as a bearer token in Authorization', () => {
		expect(tokenHeaderValue(GITLAB, ' current ')).toBe('current');
		expect(tokenHeaderValue(BEARER, 'current')).toBe('Bearer current');
		expect(
			checkToken(BEARER, { authorization: tokenHeaderValue(BEARER, 'current') }, ['current']),
		).toEqual({ ok: true });
	});
});
