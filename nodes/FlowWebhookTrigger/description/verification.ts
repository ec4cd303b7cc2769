import type { INodeProperties } from 'n8n-workflow';

import { customHmacProperties } from '../../../lib/n8n/customHmacProperties';

import { TRIGGER_DEFAULTS } from '../defaults';

const { verification } = TRIGGER_DEFAULTS;

export const verificationProperties: INodeProperties[] = [
	{
		displayName: 'Verification',
		name: 'verification',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Custom HMAC',
				value: 'customHmac',
				description: 'Choose the header, algorithm, encoding and prefix your sender uses',
			},
			{
				name: 'GitHub Style',
				value: 'github',
				description: 'X-Hub-Signature-256: sha256=&lt;hex HMAC of the body&gt;',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Accept unsigned requests (only on a trusted network)',
			},
			{
				name: 'Standard Webhooks',
				value: 'standardWebhooks',
				description:
					'Webhook-ID, webhook-timestamp and webhook-signature headers (standardwebhooks.com); what the Notify node sends',
			},
			{
				name: 'Stripe Style',
				value: 'stripe',
				description:
					'Stripe-Signature: t=&lt;time&gt;,v1=&lt;hex HMAC of "&lt;time&gt;.&lt;body&gt;"&gt;',
			},
		],
		default: verification,
		description:
			'How the sender proves a request is genuine. Forged or replayed requests are answered 401 and start no execution.',
	},
	{
		displayName:
			'Anyone who knows this URL can start the workflow with any data. Use "None" only on a trusted network, or when a gateway in front of n8n checks the requests. Security › IP Allowlist (below) can limit who may call.',
		name: 'noVerificationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { verification: ['none'] } },
	},
	...customHmacProperties('verification', 'sender'),
];
