import type { INodeProperties } from 'n8n-workflow';

import { senderTolerances } from '../../../lib/n8n/schemeProperties';
import { webhookBaseUrlProperty } from '../../../lib/n8n/webhookUrl';

import { TRIGGER_DEFAULTS } from '../defaults';

// n8n's lint takes a name for a default, but insists on a literal boolean: defaults.test.ts keeps
// those equal to TRIGGER_DEFAULTS.
const {
	dedupRetentionHours,
	eventIdField,
	eventIdHeader,
	eventTypeField,
	eventTypeHeader,
	maxBodyKib,
	dedupMaxEntries,
	toleranceSeconds,
	webhookBaseUrl,
} = TRIGGER_DEFAULTS.options;

export const optionProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Drop Duplicate Deliveries',
				name: 'deduplicate',
				type: 'boolean',
				default: true,
				description:
					'Whether to answer a delivery whose event ID was already accepted with 200 "duplicate" and start no execution. Senders retry, so this is on by default.',
			},
			{
				displayName: 'Duplicate Window (Hours)',
				name: 'dedupRetentionHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 720 },
				default: dedupRetentionHours,
				description: 'How long an accepted event ID is remembered',
			},
			{
				displayName: 'Event ID Field',
				name: 'eventIdField',
				type: 'string',
				default: eventIdField,
				description:
					"Body field holding the event ID when the signature headers carry none (dots reach into objects, e.g. meta.eventId). Left out, a named sender's own field is read (Paddle's event_id).",
			},
			{
				displayName: 'Event ID Header',
				name: 'eventIdHeader',
				type: 'string',
				default: eventIdHeader,
				placeholder: 'X-Shopify-Webhook-ID',
				description:
					"Header holding the event ID, read before the body (GitHub Style reads X-GitHub-Delivery by itself). In a JSON array, each element's own ID comes first.",
			},
			{
				displayName: 'Event Type Field',
				name: 'eventTypeField',
				type: 'string',
				default: eventTypeField,
				description:
					'Body field holding the event type; "auto" tries event, type and event_type in that order, or a named sender\'s own fields (Slack\'s event.type)',
			},
			{
				displayName: 'Event Type Header',
				name: 'eventTypeHeader',
				type: 'string',
				default: eventTypeHeader,
				placeholder: 'X-Shopify-Topic',
				description:
					'Header holding the event type, read before the body (GitHub Style reads X-GitHub-Event by itself)',
			},
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers to the output (signature, Authorization and Cookie headers are always left out)',
			},
			{
				displayName: 'Include Received At',
				name: 'includeReceivedAt',
				type: 'boolean',
				default: true,
				description: 'Whether to add the time n8n received the event (receivedAt, ISO format)',
			},
			{
				displayName: 'Max Body Size (KiB)',
				name: 'maxBodyKib',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 16384 },
				default: maxBodyKib,
				description: 'Larger bodies are answered 413 and start no execution',
			},
			{
				displayName: 'Remembered Event IDs',
				name: 'dedupMaxEntries',
				type: 'number',
				typeOptions: { minValue: 100, maxValue: 100000 },
				default: dedupMaxEntries,
				description:
					"At most this many IDs are kept (the oldest are forgotten first). They are saved in the workflow's static data as one string of about 30 bytes per ID, which n8n reads on every request to the trigger.",
			},
			{
				displayName: 'Require Flow Session Events',
				name: 'strictFlowEvents',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept only complete flow session events (session_id, one of the four flow event types, created as Unix time, data.technology_code on technology events); others are answered 422',
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: toleranceSeconds,
				description: `Signed requests whose timestamp is further than this from n8n's clock are refused as possible replays (answered 401). Without this option: ${toleranceSeconds}, or the window the sender's own library keeps (${senderTolerances()}).`,
			},
			webhookBaseUrlProperty(
				webhookBaseUrl,
				'as can happen behind a reverse proxy, a tunnel or NAT. The trigger saves the IDs of accepted events (its duplicate record) through its own webhook there; while it cannot, a redelivery is recognised as a duplicate only by the n8n process that accepted the event, until it restarts.',
			),
		],
	},
];
