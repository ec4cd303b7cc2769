import { deliverySettings, type DeliveryOptions } from '../../../../lib/delivery/settings';

const defaults = {
	concurrency: 10,
	maxAttempts: 5,
	baseDelayMs: 1000,
	maxDelayMs: 60_000,
	timeoutMs: 10_000,
	reuseConnections: true,
};
const settingsOf = (options: DeliveryOptions) => deliverySettings(options, defaults);

describe('deliverySettings', () => {
	it('uses the defaults for options left out', () => {
		expect(settingsOf({})).toEqual({
			kind: 'valid',
			settings: {
				concurrency: 10,
				timeoutMs: 10_000,
				reuseConnections: true,
				policy: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 },
			},
		});
	});

	it('treats blank values from expressions as left out', () => {
		expect(settingsOf({ concurrency: '', maxAttempts: null })).toMatchObject({
			kind: 'valid',
			settings: { concurrency: 10, policy: { maxAttempts: 5 } },
		});
	});

	it('takes the values given, numeric text included', () => {
		expect(
			settingsOf({
				concurrency: 1,
				maxAttempts: '3',
				baseDelayMs: 0,
				maxDelayMs: 250.5,
				timeoutMs: 500,
				reuseConnections: false,
			}),
		).toEqual({
			kind: 'valid',
			settings: {
				concurrency: 1,
				timeoutMs: 500,
				reuseConnections: false,
				policy: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 250.5 },
			},
		});
	});

	it.each([
		[{ concurrency: 0 }, 'Concurrency must be a whole number of at least 1, not 0.'],
		[{ concurrency: 2.5 }, 'Concurrency must be a whole number of at least 1, not 2.5.'],
		[{ maxAttempts: 0 }, 'Max Attempts must be a whole number of at least 1, not 0.'],
		[{ maxAttempts: 'many' }, 'Max Attempts must be a whole number of at least 1, not "many".'],
		[{ baseDelayMs: -1 }, 'Retry Base Delay must be a number of at least 0, not -1.'],
		[
			{ maxDelayMs: Number.POSITIVE_INFINITY },
			'Max Retry Delay must be a number of at least 0, not Infinity.',
		],
		[{ timeoutMs: 0 }, 'Timeout must be a number of at least 1, not 0.'],
		[{ timeoutMs: { ms: 5 } }, 'Timeout must be a number of at least 1, not {"ms":5}.'],
	])('refuses %p', (options, message) => {
		expect(settingsOf(options)).toEqual({ kind: 'invalid', message });
	});
});
