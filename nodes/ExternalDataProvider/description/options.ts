import type { INodeProperties } from 'n8n-workflow';

import { webhookBaseUrlProperty } from '../../../lib/n8n/webhookUrl';

import { PROVIDER_DEFAULTS } from '../defaults';

// Plain names: n8n's lint reads a default only from a literal or a name (a multi-options default
// only from an array literal).
const { allowedOrigins, cacheControl, extraFormats, maxDatasetMb, maxPageSize, webhookBaseUrl } =
	PROVIDER_DEFAULTS.options;

export const optionProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				// n8n answers CORS preflight (OPTIONS) requests itself, reading this option by this exact name.
				displayName: 'Allowed Origins (CORS)',
				name: 'allowedOrigins',
				type: 'string',
				default: allowedOrigins,
				placeholder: 'https://dashboard.example.com,https://admin.example.com',
				description:
					'Web pages from these origins may read the data from a browser. Separate origins with commas and no spaces; * allows any origin. Empty allows none (servers and scripts are not affected).',
			},
			{
				displayName: 'Cache-Control Header',
				name: 'cacheControl',
				type: 'string',
				default: cacheControl,
				placeholder: 'public, max-age=60',
				description:
					'Sent with the data. "no-cache" lets clients keep a copy but check it each time (answered 304 when unchanged); "public, max-age=60" lets clients and CDNs reuse it for a minute without asking. Use "private" with authentication.',
			},
			{
				displayName: 'Extra Formats',
				name: 'extraFormats',
				type: 'multiOptions',
				options: [
					{
						name: 'CSV',
						value: 'csv',
						description: 'With ?format=csv: one row per item, one column per top-level field',
					},
					{
						name: 'NDJSON',
						value: 'ndjson',
						description: 'With ?format=ndjson: one JSON object per line',
					},
				],
				default: [...extraFormats],
				description: 'Formats served besides JSON, chosen with the format query parameter',
			},
			{
				displayName: 'Max Dataset Size (MB)',
				name: 'maxDatasetMb',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 16, numberPrecision: 1 },
				default: maxDatasetMb,
				description:
					'A run whose data would be larger (as JSON, 1 MB = 1,048,576 bytes) fails, and the previously published data stays. n8n reads the data from its database on every request, so keep it small.',
			},
			{
				displayName: 'Max Page Size',
				name: 'maxPageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100000 },
				default: maxPageSize,
				description:
					'The most items one request returns. Without ?limit= a request gets this many; clients page through more with ?offset=.',
			},
			webhookBaseUrlProperty(
				webhookBaseUrl,
				"as can happen for queue-mode workers or behind a proxy. A run that lacks the published data (every worker run, and the first publish) publishes through this node's webhook there, and fails if it cannot.",
			),
		],
	},
];
