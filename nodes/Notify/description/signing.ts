import type { INodeProperties } from 'n8n-workflow';

/** Signing choices that need the signing secret credential. */
export const SIGNED_SCHEMES = ['customHmac', 'github', 'standardWebhooks', 'stripe'];

const showCustom = { displayOptions: { show: { signing: ['customHmac'] } } };

export const signingProperties: INodeProperties[] = [
	{
		displayName: 'Signing',
		name: 'signing',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Custom HMAC',
				value: 'customHmac',
				description: 'Choose the header, algorithm, encoding and prefix the receiver expects',
			},
			{
				name: 'GitHub Style',
				value: 'github',
				description:
					'X-Hub-Signature-256: sha256=&lt;hex HMAC of the body&gt;, and the event ID in X-GitHub-Delivery',
			},
			{
				name: 'None (Unsigned)',
				value: 'none',
				description: 'No signature: receivers cannot tell genuine events from forged ones',
			},
			{
				name: 'Standard Webhooks',
				value: 'standardWebhooks',
				description:
					'Webhook-ID, webhook-timestamp and webhook-signature headers (standardwebhooks.com); what the Flow Webhook Trigger checks by default',
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
			'How receivers can check that an event comes from this workflow and was not altered. The receiver needs the same secret.',
	},
	{
		displayName:
			'Events go out unsigned: anyone who learns a destination URL can send look-alike events, and the receiver cannot tell them apart. Choose a signature unless the receiver cannot check one.',
		name: 'unsignedNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { signing: ['none'] } },
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
			{ name: 'SHA-1 (Legacy Receivers Only)', value: 'sha1' },
			{ name: 'SHA-256', value: 'sha256' },
			{ name: 'SHA-512', value: 'sha512' },
		],
		default: 'sha256',
		description: 'The HMAC hash function the receiver expects',
		...showCustom,
	},
	{
		displayName: 'Encoding',
		name: 'encoding',
		type: 'options',
		options: [
			{ name: 'Base64', value: 'base64' },
			{ name: 'Hex', value: 'hex' },
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
		description: 'Text to put in front of the digest, if the receiver expects any',
		...showCustom,
	},
	{
		displayName: 'Timestamp Header',
		name: 'timestampHeader',
		type: 'string',
		default: '',
		placeholder: 'x-timestamp',
		description:
			'To sign "&lt;timestamp&gt;.&lt;body&gt;" and send that Unix timestamp in this header, so the receiver can refuse replays. Leave empty to sign the body alone.',
		...showCustom,
	},
	{
		displayName: 'Event ID Header',
		name: 'idHeader',
		type: 'string',
		default: '',
		placeholder: 'x-event-ID',
		description:
			'A header to send the event ID in, for receivers that drop duplicates by it. Leave empty to send none.',
		...showCustom,
	},
];
