import type { INodeProperties } from 'n8n-workflow';

import { NOTIFY_DEFAULTS } from '../defaults';

const { eventFormat, eventType, eventId, eventData, sessionId, flowName, metadata } =
	NOTIFY_DEFAULTS;

const forEvents = { operation: ['sendEvent'] };

export const eventProperties: INodeProperties[] = [
	{
		displayName: 'Event Format',
		name: 'eventFormat',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Flow Session Event',
				value: 'flowSession',
				description:
					'ID, event, session_id, created (Unix seconds), success, flow_name, metadata and data fields, as flow session tools send them',
			},
			{
				name: 'Item JSON as Is',
				value: 'itemJson',
				description:
					'The input item, unchanged. Test events use the Standard Webhooks format instead.',
			},
			{
				name: 'Standard Webhooks',
				value: 'standardWebhooks',
				description: 'Type, timestamp (ISO) and data fields, as standardwebhooks.com recommends',
			},
		],
		default: eventFormat,
		description: 'How each event is laid out in the JSON body',
	},
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'string',
		required: true,
		default: eventType,
		placeholder: 'order.created',
		description:
			'What happened, for receivers to filter and route on. By default the item\'s event or type field, else "n8n.item". With Item JSON as Is it appears only in the report.',
		displayOptions: { show: forEvents },
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: eventId,
		placeholder: 'Leave empty for a UUID per item',
		description:
			'Identifies the event; receivers use it to drop duplicate deliveries. The same ID goes to every destination, on every retry and in every Retry Later round. Left empty, each item gets a UUID that stays the same when you retry a failed execution from the execution list.',
		displayOptions: { show: forEvents },
	},
	{
		displayName: 'Event Data',
		name: 'eventData',
		type: 'json',
		default: eventData,
		description: 'The payload, sent in the data field. By default the whole input item.',
		displayOptions: { show: { ...forEvents, eventFormat: ['standardWebhooks', 'flowSession'] } },
	},
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: sessionId,
		description:
			"Groups the events of one session (session_id). By default the item's session ID, else this execution's ID.",
		displayOptions: { show: { eventFormat: ['flowSession'] } },
	},
	{
		displayName: 'Flow Name',
		name: 'flowName',
		type: 'string',
		default: flowName,
		description:
			"Names the flow (flow_name). By default the item's flow name, else this workflow's name.",
		displayOptions: { show: { eventFormat: ['flowSession'] } },
	},
	{
		displayName: 'Success',
		name: 'success',
		type: 'boolean',
		default: true,
		description: 'Whether the flow or step the event reports on succeeded (success)',
		displayOptions: { show: { eventFormat: ['flowSession'] } },
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'json',
		default: metadata,
		description: 'Any extra JSON about the session (metadata)',
		displayOptions: { show: { eventFormat: ['flowSession'] } },
	},
];
