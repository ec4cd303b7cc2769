import type { INodeProperties } from 'n8n-workflow';

import { NOTIFY_DEFAULTS } from '../defaults';

const { retryMode, retrySchedule } = NOTIFY_DEFAULTS;

const forEvents = { operation: ['sendEvent'] };
const forRetryLater = { ...forEvents, retryMode: ['retryLater'] };

/** One output normally; with Retry Later a second one that carries the events still owed. */
export const RETRY_LATER_OUTPUTS =
	'={{ $parameter["operation"] !== "sendTestEvent" && $parameter["retryMode"] === "retryLater" ? [{ type: "main", displayName: "Sent" }, { type: "main", displayName: "Retry Later" }] : ["main"] }}';

export const retryProperties: INodeProperties[] = [
	{
		displayName: 'When Deliveries Keep Failing',
		name: 'retryMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Fail After In-Run Retries',
				value: 'inRun',
				description:
					'Retry within this execution as Options say (about a minute by default), then report the failure. For short hiccups.',
			},
			{
				name: 'Retry Later',
				value: 'retryLater',
				description:
					'After the in-run retries, send the event out on the Retry Later output, to come back through a Wait node on a schedule of hours without holding a worker. For outages.',
			},
		],
		default: retryMode,
		displayOptions: { show: forEvents },
	},
	{
		displayName:
			'Connect <b>Retry Later</b> to a Wait node (Resume: At Specified Time, Date and Time: <code>{{ $json.retry.nextAttemptAt }}</code>) and the Wait node back into this node. Each event then comes back with the same event ID, only to the destinations still owed, and is signed afresh. The execution waits in the database between rounds (one waiting execution per batch), survives restarts and holds no worker. Out of rounds, deliveries go to the error path with every attempt listed.',
		name: 'retryLaterNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: forRetryLater },
	},
	{
		displayName: 'Retry Schedule',
		name: 'retrySchedule',
		type: 'string',
		default: retrySchedule,
		placeholder: retrySchedule,
		description:
			"The waits before each later round of attempts, in s, m, h or d, separated by commas. The default follows Svix's schedule: with the first round, 8 rounds over about 28 hours. Each round makes the in-run attempts of Options › Max Attempts.",
		displayOptions: { show: forRetryLater },
	},
];
