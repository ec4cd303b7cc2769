import type { INodeProperties } from 'n8n-workflow';

import { DELIVERY_DEFAULTS, deliverySettings } from '../../../../lib/delivery/settings';
import { optionProperties } from '../../../../nodes/Notify/description/options';

describe('deliverySettings', () => {
	it('uses the defaults for options left out', () => {
		expect(deliverySettings({})).toEqual({
			ok: true,
			settings: {
				concurrency: 10,
				timeoutMs: 10_000,
				reuseConnections: true,
				policy: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 },
			},
		});
		expect(DELIVERY_DEFAULTS).toEqual({
			concurrency: 10,
			maxAttempts: 5,
			baseDelayMs: 1000,
			maxDelayMs: 60_000,
			timeoutMs: 10_000,
			reuseConnections: true,
		});
	});

	it('treats blank values from expressions as left out', () => {
		expect(deliverySettings({ concurrency: '', maxAttempts: null })).toMatchObject({
			ok: true,
			settings: { concurrency: 10, policy: { maxAttempts: 5 } },
		});
	});

	it('takes the values given, numeric text included', () => {
		expect(
			deliverySettings({
				concurrency: 1,
				maxAttempts: '3',
				baseDelayMs: 0,
				maxDelayMs: 250.5,
				timeoutMs: 500,
				reuseConnections: false,
			}),
		).toEqual({
			ok: true,
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
		expect(deliverySettings(options)).toEqual({ ok: false, message });
	});
});

describe('the Options shown in the editor', () => {
	it('default to the values the node falls back on', () => {
		const [options] = optionProperties;
		const shown = Object.fromEntries(
			(options.options ?? []).map((option) => [
				(option as INodeProperties).name,
				(option as INodeProperties).default,
			]),
		);
		expect(shown).toEqual(DELIVERY_DEFAULTS);
	});
});
