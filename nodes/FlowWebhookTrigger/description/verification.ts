import type { INodeProperties } from 'n8n-workflow';

import {
	receivedOnlyPresets,
	schemeProperties,
	secretHintNotices,
	START_FROM_PARAMETER,
} from '../../../lib/n8n/schemeProperties';
import { signsUrl } from '../../../lib/signing/profile';
import { SENDER_PROFILES, type SenderName } from '../../../lib/signing/schemes';

import { TRIGGER_DEFAULTS } from '../defaults';
import { VERIFY_TOKEN_PARAMETER, VERIFY_TOKEN_SENDERS } from '../handshake';

const { verification, publicUrl, verifyToken } = TRIGGER_DEFAULTS;

/** The senders that sign the URL they call, which the node must then be told. */
const URL_SIGNING_SENDERS = (Object.keys(SENDER_PROFILES) as SenderName[]).filter((name) =>
	signsUrl(SENDER_PROFILES[name]),
);

const publicUrlProperty: INodeProperties = {
	displayName: 'Public URL',
	name: 'publicUrl',
	type: 'string',
	default: publicUrl,
	placeholder: 'https://n8n.example.com/webhook/orders',
	description:
		'The URL the sender calls, which it signs: exactly as entered in its dashboard, query string included. Leave empty to use the URL n8n received the request on.',
	hint: "Copy it from the sender's dashboard: https or http, host, port, path and query must all match. Behind a proxy that changes the host or path, set it here.",
	displayOptions: { show: { verification: URL_SIGNING_SENDERS } },
};

export const verificationProperties: INodeProperties[] = [
	{
		displayName: 'Verification',
		name: 'verification',
		type: 'options',
		noDataExpression: true,
		options: [
			...receivedOnlyPresets(),
			{
				name: 'Custom HMAC',
				value: 'customHmac',
				description:
					'Choose the header, algorithm, encoding and prefix your sender uses, or start from a preset and change only what differs',
			},
			{
				name: 'GitHub Style',
				value: 'github',
				description:
					'X-Hub-Signature-256: sha256=&lt;hex HMAC of the body&gt;; the event type from X-GitHub-Event, the ID from X-GitHub-Delivery',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Accept unsigned requests (only on a trusted network)',
			},
			{
				name: 'Shared Token',
				value: 'token',
				description:
					'The secret itself in a header (GitLab X-Gitlab-Token, Telegram, a bearer token): for senders that sign nothing',
			},
			{
				name: 'Standard Webhooks',
				value: 'standardWebhooks',
				description:
					'Webhook-ID, webhook-timestamp and webhook-signature headers, or their svix-* names (Clerk, Resend, OpenAI and other Svix senders); what the Notify node sends',
			},
			{
				name: 'Stripe Style',
				value: 'stripe',
				description:
					'Stripe-Signature: t=&lt;time&gt;,v1=&lt;hex HMAC of "&lt;time&gt;.&lt;body&gt;"&gt;; paste the whsec_… secret as Stripe shows it',
			},
		].sort((one, other) => one.name.localeCompare(other.name)),
		default: verification,
		description:
			'How the sender proves a request is genuine. Forged or replayed requests are answered 401 and start no execution.',
	},
	{
		displayName:
			'Anyone who knows this URL can start the workflow with any data. Use "None" only on a trusted network, or when a gateway in front of n8n checks the requests. Security › IP Allowlist (below) can limit who may call. Without a secret, duplicates are recognised only in the memory of the n8n process that received them: after a restart, or on another webhook process in queue mode, a repeated event ID starts a run again.',
		name: 'noVerificationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { verification: ['none'] } },
	},
	...secretHintNotices('verification'),
	publicUrlProperty,
	{
		displayName: 'Verify Token',
		name: VERIFY_TOKEN_PARAMETER,
		type: 'string',
		typeOptions: { password: true },
		default: verifyToken,
		description:
			"The Verify Token you type in the sender's dashboard next to the Callback URL: any text you choose, the same in both places. It is not the App Secret.",
		hint: 'The sender checks the URL with a GET carrying this token: the trigger answers it with the challenge when the token matches, 403 otherwise, and starts no execution.',
		displayOptions: { show: { verification: VERIFY_TOKEN_SENDERS } },
	},
	...schemeProperties('verification', 'sender'),
	// The same field for Custom HMAC started from such a preset, which signs the URL as it does.
	{
		...publicUrlProperty,
		displayOptions: {
			show: { verification: ['customHmac'], [START_FROM_PARAMETER]: URL_SIGNING_SENDERS },
		},
	},
];
