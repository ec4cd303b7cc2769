import type { INodeProperties } from 'n8n-workflow';

import { TRIGGER_DEFAULTS } from '../defaults';

const { httpMethod, path } = TRIGGER_DEFAULTS;

/** Where senders send: the method and the last part of the webhook URL. */
export const endpointProperties: INodeProperties[] = [
	{
		displayName: 'HTTP Method',
		name: 'httpMethod',
		type: 'options',
		options: [
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: httpMethod,
		description: 'The HTTP method senders use',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: path,
		placeholder: 'flow-events',
		description:
			'The last part of the webhook URL: &lt;n8n URL&gt;/webhook/&lt;path&gt; in production, /webhook-test/&lt;path&gt; while listening for a test event. Leave empty for a unique generated path; a readable one must be unique among published workflows.',
	},
];
