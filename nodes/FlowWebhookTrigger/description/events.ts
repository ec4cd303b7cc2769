import type { INodeProperties } from 'n8n-workflow';

import { FLOW_EVENT_TYPES } from '../../../lib/events/flowEvents';

import { TRIGGER_DEFAULTS } from '../defaults';

// n8n's lint insists on a literal boolean and an array here; defaults.test.ts keeps them equal to
// TRIGGER_DEFAULTS.
const { eventTypes, customEventTypes } = TRIGGER_DEFAULTS;

const FLOW_EVENT_DESCRIPTIONS: Record<(typeof FLOW_EVENT_TYPES)[number], string> = {
	'flow.start': 'A flow session started',
	'flow.end': 'A flow session ended',
	'technology.start': 'A technology step started (data.technology_code names it)',
	'technology.end': 'A technology step ended (data.technology_code names it)',
};

export const eventProperties: INodeProperties[] = [
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'multiOptions',
		options: FLOW_EVENT_TYPES.map((type) => ({
			name: type,
			value: type,
			description: FLOW_EVENT_DESCRIPTIONS[type],
		})),
		default: [...eventTypes],
		description:
			'Events to accept. Leave both this and Other Event Types empty to accept every event. Anything else is answered 200 "ignored" and starts no execution.',
	},
	{
		displayName: 'Other Event Types',
		name: 'customEventTypes',
		type: 'string',
		default: customEventTypes,
		placeholder: 'order.*, invoice.paid',
		description:
			'More event types to accept, comma-separated; * matches any text (flow.* accepts every flow event)',
	},
	{
		displayName: 'One Output per Event Type',
		name: 'routeByEventType',
		type: 'boolean',
		default: false,
		description:
			'Whether to give the node one output per selected event type (all four flow events when none is selected) plus an "other" output, so no Switch node is needed',
	},
];
