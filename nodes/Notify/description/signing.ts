import type { INodeProperties } from 'n8n-workflow';

import { schemeProperties } from '../../../lib/n8n/schemeProperties';

import { NOTIFY_DEFAULTS } from '../defaults';

const { signing } = NOTIFY_DEFAULTS;

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
				name: 'Shared Token',
				value: 'token',
				description:
					'The secret itself in a header, for receivers that compare a token (Authorization sends it as a bearer token)',
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
		default: signing,
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
	...schemeProperties('signing', 'receiver'),
];
