import type { INodeProperties } from 'n8n-workflow';

import { MAX_DESTINATIONS } from '../../../lib/delivery/destinations';

import { NOTIFY_DEFAULTS } from '../defaults';

const { url, headers } = NOTIFY_DEFAULTS.destinations.destination;
const { name: headerName, value: headerValue } = headers.header;

export const destinationProperties: INodeProperties[] = [
	{
		displayName: 'Destinations',
		name: 'destinations',
		type: 'fixedCollection',
		placeholder: 'Add Destination',
		// The editor stops adding destinations at the limit, and n8n refuses to run a node above it.
		typeOptions: { multipleValues: true, maxAllowedFields: MAX_DESTINATIONS },
		required: true,
		default: {},
		description:
			'One to five URLs that each receive every event as a POST request. Each delivery is retried on its own, so a slow or failing URL does not hold the others back.',
		options: [
			{
				displayName: 'Destination',
				name: 'destination',
				values: [
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						required: true,
						default: url,
						placeholder: 'https://example.com/webhooks/n8n',
						description:
							'Where to POST the events (http:// or https://). Redirects are not followed.',
					},
					{
						displayName: 'Extra Headers',
						name: 'headers',
						type: 'fixedCollection',
						placeholder: 'Add Header',
						typeOptions: { multipleValues: true },
						default: {},
						description:
							'Headers this destination needs besides the signature, e.g. an API key. They are saved with the workflow, unlike credentials.',
						options: [
							{
								displayName: 'Header',
								name: 'header',
								values: [
									{
										displayName: 'Name',
										name: 'name',
										type: 'string',
										default: headerName,
										placeholder: 'x-api-key',
									},
									{ displayName: 'Value', name: 'value', type: 'string', default: headerValue },
								],
							},
						],
					},
				],
			},
		],
	},
];
