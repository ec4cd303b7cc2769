import type { INodeProperties } from 'n8n-workflow';

const showCustom = { displayOptions: { show: { verification: ['customHmac'] } } };

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
		default: 'standardWebhooks',
		description:
			'How the sender proves a request is genuine. Forged or replayed requests are answered 401 and start no execution.',
	},
	{
		displayName:
			'Anyone who knows this URL can start the workflow with any data. Use "None" only on a trusted network, or when a gateway in front of n8n checks the requests.',
		name: 'noVerificationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { verification: ['none'] } },
	},
	{
		displayName: 'Signature Header',
		name: 'signatureHeader',
		type: 'string',
		required: true,
		default: 'x-signature',
		description: 'The request header that carries the signature',
		...showCustom,
	},
	{
		displayName: 'Algorithm',
		name: 'algorithm',
		type: 'options',
		options: [
			{ name: 'SHA-256', value: 'sha256' },
			{ name: 'SHA-512', value: 'sha512' },
			{ name: 'SHA-1 (Legacy Senders Only)', value: 'sha1' },
		],
		default: 'sha256',
		description: 'The HMAC hash function the sender uses',
		...showCustom,
	},
	{
		displayName: 'Encoding',
		name: 'encoding',
		type: 'options',
		options: [
			{ name: 'Hex', value: 'hex' },
			{ name: 'Base64', value: 'base64' },
		],
		default: 'hex',
		description: 'How the digest is written in the header',
		...showCustom,
	},
	{
		displayName: 'Signature Prefix',
		name: 'prefix',
		type: 'string',
		default: '',
		placeholder: 'sha256=',
		description: 'Text in front of the digest, if any',
		...showCustom,
	},
	{
		displayName: 'Timestamp Header',
		name: 'timestampHeader',
		type: 'string',
		default: '',
		placeholder: 'x-timestamp',
		description:
			'If the sender signs "&lt;timestamp&gt;.&lt;body&gt;", the header holding that Unix timestamp. Leave empty if only the body is signed (then there is no replay window).',
		...showCustom,
	},
	{
		displayName: 'Event ID Header',
		name: 'idHeader',
		type: 'string',
		default: '',
		placeholder: 'x-event-ID',
		description:
			'Header holding a unique delivery ID, used to drop duplicates. Leave empty to read the ID from the body.',
		...showCustom,
	},
];
