import type { INodeProperties } from 'n8n-workflow';

import { APPEND_HARD_CAP } from '../../../lib/dataset/publish';

import { PROVIDER_DEFAULTS } from '../defaults';

// Plain names: n8n's lint reads a default only from a literal or a name.
const { path, publishMode, keepNewest, servedAs, listField, countField, updatedField } =
	PROVIDER_DEFAULTS;

export const publishingProperties: INodeProperties[] = [
	{
		displayName:
			'Each run of the <b>published</b> workflow stores the items that reach this node; GET requests to the Production URL return them without starting an execution. To publish the workflow it needs a trigger node (for example Schedule Trigger or Webhook). Manual runs from the editor publish nothing, because n8n keeps no data from them, and the Test URL is never served.',
		name: 'howItWorksNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: path,
		placeholder: 'dashboard/orders',
		description:
			'The last part of the data URL: &lt;n8n URL&gt;/webhook/&lt;path&gt;. Leave empty for a unique generated path; a readable one must be unique among the published workflows.',
	},
	{
		displayName: 'Publish Mode',
		name: 'publishMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Append',
				value: 'append',
				description: "Add this run's items after the published ones and keep only the newest",
			},
			{
				name: 'Replace',
				value: 'replace',
				description: "Publish exactly this run's items, replacing what was there",
			},
			{
				name: 'Single Object',
				value: 'singleObject',
				description:
					"Publish the first item's fields as one object (data is an object, not a list)",
			},
		],
		default: publishMode,
		description: 'How the items of a run become the published data',
	},
	{
		displayName: 'Keep Newest Items',
		name: 'keepNewest',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: APPEND_HARD_CAP },
		default: keepNewest,
		description: `How many items the published list keeps; the oldest are dropped first (at most ${APPEND_HARD_CAP})`,
		displayOptions: { show: { publishMode: ['append'] } },
	},
	{
		displayName: 'Serve As',
		name: 'servedAs',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'List',
				value: 'list',
				description: 'Data is the list itself; clients page through it with limit and offset',
			},
			{
				name: 'Object Holding the List',
				value: 'objectWithList',
				description:
					'Data is an object with the list under List Field, and optionally its count and update time',
			},
		],
		default: servedAs,
		description: 'What clients find in "data"',
		displayOptions: { show: { publishMode: ['append', 'replace'] } },
	},
	{
		displayName: 'List Field',
		name: 'listField',
		type: 'string',
		required: true,
		default: listField,
		placeholder: 'alerts',
		description:
			'The field of the served object that holds the list. Limit and offset page this list; CSV and NDJSON serve its rows.',
		displayOptions: { show: { publishMode: ['append', 'replace'], servedAs: ['objectWithList'] } },
	},
	{
		displayName: 'Count Field',
		name: 'countField',
		type: 'string',
		default: countField,
		placeholder: 'active_alerts_count',
		description: 'A field holding how many items the whole list has; leave empty for none',
		displayOptions: { show: { publishMode: ['append', 'replace'], servedAs: ['objectWithList'] } },
	},
	{
		displayName: 'Updated Field',
		name: 'updatedField',
		type: 'string',
		default: updatedField,
		placeholder: 'last_updated',
		description:
			'A field holding when the list last changed (ISO time, null before the first publish); leave empty for none',
		displayOptions: { show: { publishMode: ['append', 'replace'], servedAs: ['objectWithList'] } },
	},
];
