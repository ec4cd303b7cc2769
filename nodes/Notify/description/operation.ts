import type { INodeProperties } from 'n8n-workflow';

import { NOTIFY_DEFAULTS } from '../defaults';

const { operation } = NOTIFY_DEFAULTS;

export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Send Event',
				value: 'sendEvent',
				action: 'Send an event',
				description: 'Send each input item as an event to every destination',
			},
			{
				name: 'Send Test Event',
				value: 'sendTestEvent',
				action: 'Send a test event',
				description:
					'Send one "ping" event to every destination, once per run, to check that they are reachable and accept the signature',
			},
		],
		default: operation,
	},
	{
		displayName:
			'Each run sends one "ping" event to every destination, whatever the input. Use it while setting up a receiver: the report shows whether each destination answered and how. Switch back to Send Event when done.',
		name: 'testEventNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['sendTestEvent'] } },
	},
];
