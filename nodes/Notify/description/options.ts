import type { INodeProperties } from 'n8n-workflow';

import { NOTIFY_DEFAULTS } from '../defaults';

const { concurrency, maxAttempts, maxDelayMs, baseDelayMs, timeoutMs } = NOTIFY_DEFAULTS.options;

export const optionProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: concurrency,
				description:
					'How many deliveries may be under way at once, across all items and destinations. Deliveries start in item order; 1 sends them strictly one after another, so each destination gets the events in order.',
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: maxAttempts,
				description:
					"Attempts per destination, the first one included (1 means no retries). Retried: network errors, timeouts and 408, 425, 429 and 5xx answers; other answers are final. Use this rather than the node's Retry On Fail setting, which would send every event again to every destination.",
			},
			{
				displayName: 'Max Retry Delay (Ms)',
				name: 'maxDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: maxDelayMs,
				description:
					'The longest wait between two attempts, also when a receiver asks for more with Retry-After. The execution stays open while it waits, so raise this and Max Attempts only as far as your runs may last; for outages of minutes or hours, choose Retry Later under When Deliveries Keep Failing.',
			},
			{
				displayName: 'Retry Base Delay (Ms)',
				name: 'baseDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: baseDelayMs,
				description:
					"Waits start here and double with each retry; each wait is a random time up to that (full jitter), so retries from many senders spread out. A receiver's Retry-After header takes precedence.",
			},
			{
				displayName: 'Reuse Connections',
				name: 'reuseConnections',
				type: 'boolean',
				default: true,
				description:
					"Whether to keep connections to each destination open between events, which makes sending many events several times faster. The instance's outbound (SSRF) policy still applies. Turn off to send through n8n's HTTP client, which opens a new connection per request and also honours the instance's HTTP proxy settings.",
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: timeoutMs,
				description: 'How long one attempt may take before it counts as failed and is retried',
			},
		],
	},
];
