import {
	backoffDelayMs,
	isRetryableStatus,
	retryDelayMs,
	type RetryPolicy,
} from '../../../../lib/delivery/retryPolicy';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
const always = (value: number) => () => value;

describe('isRetryableStatus', () => {
	it.each([408, 425, 429, 500, 502, 503, 504, 599])('retries %i', (status) => {
		expect(isRetryableStatus(status)).toBe(true);
	});

	it.each([200, 204, 301, 400, 401, 403, 404, 409, 410, 413, 422, 426, 600])(
		'does not retry %i',
		(status) => {
			expect(isRetryableStatus(status)).toBe(false);
		},
	);
});

describe('backoffDelayMs (full jitter)', () => {
	it('doubles the ceiling with each retry', () => {
		const nearlyOne = always(0.999999);
		expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, nearlyOne))).toEqual([
			999, 1999, 3999, 7999,
		]);
	});

	it('draws uniformly below the ceiling', () => {
		expect(backoffDelayMs(3, policy, always(0))).toBe(0);
		expect(backoffDelayMs(3, policy, always(0.5))).toBe(2000);
		expect(backoffDelayMs(3, policy, always(0.25))).toBe(1000);
	});

	it('never exceeds the cap, however many retries', () => {
		expect(backoffDelayMs(7, policy, always(0.999999))).toBe(59_999);
		expect(backoffDelayMs(2000, policy, always(0.999999))).toBe(59_999);
	});

	it('is always zero with a zero base delay', () => {
		expect(backoffDelayMs(4, { ...policy, baseDelayMs: 0 }, always(0.9))).toBe(0);
	});

	it('spreads real random draws over the whole window', () => {
		const draws = Array.from({ length: 2000 }, () => backoffDelayMs(2, policy, Math.random));
		expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...draws)).toBeLessThan(2000);
		expect(draws.filter((delay) => delay < 1000).length).toBeGreaterThan(800);
		expect(draws.filter((delay) => delay >= 1000).length).toBeGreaterThan(800);
	});
});

describe('retryDelayMs', () => {
	it('uses the backoff when the receiver asked for nothing', () => {
		expect(retryDelayMs(2, policy, always(0.5), undefined)).toBe(1000);
	});

	it("follows the receiver's Retry-After exactly, without jitter", () => {
		expect(retryDelayMs(1, policy, always(0), 1000)).toBe(1000);
		expect(retryDelayMs(4, policy, always(0.999), 0)).toBe(0);
	});

	it('caps a Retry-After longer than the maximum delay', () => {
		expect(retryDelayMs(1, policy, always(0), 3_600_000)).toBe(60_000);
	});
});
