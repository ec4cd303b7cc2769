import {
	NodeConnectionTypes,
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type JsonObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPairedItemData,
} from 'n8n-workflow';

import {
	createLimiter,
	deliverWithRetries,
	reportError,
	runFailure,
	settleRound,
	type Delivery,
	type Destination,
	type EventReport,
	type RetryState,
} from '../../lib/delivery';
import { testWebhookSigningSecret } from '../../lib/n8n/credentialTest';
import { errorOutputKeepsDetails } from '../../lib/n8n/errorOutput';
import { SIGNED_SCHEMES } from '../../lib/n8n/customHmacProperties';

import {
	prepareEvent,
	prepareTestEvent,
	readRunSettings,
	type PreparedEvent,
	type RunSettings,
} from './config';
import { destinationProperties } from './description/destinations';
import { eventProperties } from './description/event';
import { optionProperties } from './description/options';
import { RETRY_LATER_OUTPUTS, retryProperties } from './description/retries';
import { signingProperties } from './description/signing';
import { createSender, deliveryRuntime } from './transport';

/** An input item's event, or why it could not be built (kept only when the node continues on fail). */
type Planned = { itemIndex: number; pairedItem: IPairedItemData[] } & (
	| { event: PreparedEvent }
	| { failure: string }
);

/** A planned event after delivery: each destination's delivery, or why it could not be sent. */
type Outcome = { itemIndex: number; pairedItem: IPairedItemData[] } & (
	| { event: PreparedEvent; deliveries: Delivery[] }
	| { failure: string }
);

/** Where one item's report goes with Retry Later. */
interface DurableOutcome {
	itemIndex: number;
	pairedItem: IPairedItemData[];
	/** Every delivery succeeded. */
	sent?: EventReport;
	/** Some destinations are still owed the event. */
	retry?: { report: EventReport; state: RetryState };
	/** Deliveries that failed for good, or why the item could not be sent at all. */
	failed?: EventReport | string;
}

export class Notify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Notify',
		name: 'notify',
		icon: { light: 'file:notify.svg', dark: 'file:notify.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ ($parameter["operation"] === "sendTestEvent" ? "test event · " : "") + ({ customHmac: "custom HMAC", github: "GitHub style", none: "unsigned", standardWebhooks: "Standard Webhooks", stripe: "Stripe style" })[$parameter["signing"]] }}',
		description:
			'Sends each item as a signed event to up to five URLs, with retries and a report of every delivery',
		documentationUrl:
			'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks/blob/main/docs/notify.md',
		defaults: { name: 'Notify' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: RETRY_LATER_OUTPUTS,
		credentials: [
			{
				name: 'webhookSigningSecretApi',
				required: true,
				testedBy: 'webhookSigningSecretTest',
				displayOptions: { show: { signing: SIGNED_SCHEMES } },
			},
		],
		properties: [
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
				default: 'sendEvent',
			},
			{
				displayName:
					'Each run sends one "ping" event to every destination, whatever the input. Use it while setting up a receiver: the report shows whether each destination answered and how. Switch back to Send Event when done.',
				name: 'testEventNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['sendTestEvent'] } },
			},
			...eventProperties,
			...retryProperties,
			...signingProperties,
			...destinationProperties,
			...optionProperties,
		],
	};

	methods = {
		credentialTest: { webhookSigningSecretTest: testWebhookSigningSecret },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const settings = await readRunSettings(this);
		// Everything is read and validated before the first request, so a configuration error sends nothing.
		const plan = planEvents(this, settings);
		const outcomes = await deliverAll(this, plan, settings);
		if (settings.retryMode === 'retryLater') return durableOutputs(this, outcomes, settings);

		const reports = outcomes.flatMap((outcome) =>
			'failure' in outcome
				? []
				: [{ itemIndex: outcome.itemIndex, report: reportOf(outcome.event, outcome.deliveries) }],
		);
		failUnlessContinuing(this, reports);
		return [
			outcomes.map((outcome) =>
				'failure' in outcome
					? { json: { error: outcome.failure }, pairedItem: outcome.pairedItem }
					: reportItem(this, reportOf(outcome.event, outcome.deliveries), outcome.pairedItem),
			),
		];
	}
}

function reportOf(event: PreparedEvent, deliveries: Delivery[]): EventReport {
	return {
		eventId: event.id,
		type: event.type,
		deliveries: deliveries.map(({ result }) => result),
	};
}

/** Unless the node continues on fail, a failed delivery fails the node, after every delivery was attempted. */
function failUnlessContinuing(
	context: IExecuteFunctions,
	reports: Array<{ itemIndex: number; report: EventReport }>,
): void {
	if (context.continueOnFail()) return;
	const failure = runFailure(reports);
	if (!failure) return;
	// The receivers answered (or failed to): an API error, as n8n's HTTP nodes report it.
	throw new NodeApiError(context.getNode(), { message: failure.message } as JsonObject, {
		message: failure.message,
		description: failure.description,
		itemIndex: failure.itemIndex,
	});
}

/**
 * Retry Later: items whose deliveries all succeeded go to the first output, items still owed to a
 * destination to Retry Later with their retry state, failures for good to the error path.
 */
function durableOutputs(
	context: IExecuteFunctions,
	outcomes: Outcome[],
	settings: RunSettings,
): INodeExecutionData[][] {
	const nowMs = Date.now();
	const settled: DurableOutcome[] = outcomes.map(({ itemIndex, pairedItem, ...rest }) => {
		if ('failure' in rest) return { itemIndex, pairedItem, failed: rest.failure };
		const { event, deliveries } = rest;
		const { report, retry, finalFailures } = settleRound({
			event,
			deliveries: deliveries.map((delivery, index) => {
				const destination = event.destinations[index];
				return { destination, delivery, earlier: event.earlier.get(destination.url) };
			}),
			roundsBefore: event.roundsBefore,
			delaysMs: settings.delaysMs,
			nowMs,
			stateKey: settings.stateKeys[0],
		});
		if (retry === null && finalFailures.length === 0)
			return { itemIndex, pairedItem, sent: report };
		// With destinations still owed, the error path reports only the deliveries that failed for good.
		const failed = retry === null ? report : { ...report, deliveries: finalFailures };
		return {
			itemIndex,
			pairedItem,
			retry: retry === null ? undefined : { report, state: retry },
			failed: finalFailures.length > 0 ? failed : undefined,
		};
	});
	failUnlessContinuing(
		context,
		settled.flatMap(({ itemIndex, failed }) =>
			typeof failed === 'object' ? [{ itemIndex, report: failed }] : [],
		),
	);
	const sent: INodeExecutionData[] = [];
	const retryLater: INodeExecutionData[] = [];
	for (const outcome of settled) {
		const { pairedItem } = outcome;
		if (outcome.sent) sent.push({ json: outcome.sent, pairedItem });
		if (outcome.retry)
			retryLater.push({
				json: { ...outcome.retry.report, retry: outcome.retry.state },
				pairedItem,
			});
		if (typeof outcome.failed === 'string')
			sent.push({ json: { error: outcome.failed }, pairedItem });
		else if (outcome.failed) sent.push(reportItem(context, outcome.failed, pairedItem));
	}
	return [sent, retryLater];
}

function planEvents(context: IExecuteFunctions, settings: RunSettings): Planned[] {
	const items = context.getInputData();
	if (settings.operation === 'sendTestEvent') {
		// One ping per run, not per item: it checks the destinations, not the data.
		const pairedItem = items.map((_, item) => ({ item }));
		return [{ itemIndex: 0, pairedItem, event: prepareTestEvent(context, settings) }];
	}
	return items.map((_, itemIndex) => {
		const pairedItem = [{ item: itemIndex }];
		try {
			return { itemIndex, pairedItem, event: prepareEvent(context, itemIndex, settings) };
		} catch (error) {
			const failure =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
			if (!context.continueOnFail()) throw failure;
			return { itemIndex, pairedItem, failure: failure.message };
		}
	});
}

/**
 * Delivers every planned event to each of its destinations through one shared limiter. Tasks are
 * queued item by item and, within an item, destination by destination, so they start in that order.
 */
async function deliverAll(
	context: IExecuteFunctions,
	plan: Planned[],
	settings: RunSettings,
): Promise<Outcome[]> {
	const limit = createLimiter(settings.concurrency);
	const cancelSignal = context.getExecutionCancelSignal?.();
	const send = createSender(context, settings);
	const deliver = async (event: PreparedEvent, destination: Destination) =>
		await limit(
			async () =>
				await deliverWithRetries(
					destination.url,
					settings.policy,
					deliveryRuntime(
						context,
						send,
						{ event, destination, signing: settings.signing, timeoutMs: settings.timeoutMs },
						cancelSignal,
					),
				),
		);
	return await Promise.all(
		plan.map(async (planned): Promise<Outcome> => {
			if (!('event' in planned)) return planned;
			const { itemIndex, pairedItem, event } = planned;
			const deliveries = await Promise.all(
				event.destinations.map(async (destination) => await deliver(event, destination)),
			);
			return { itemIndex, pairedItem, event, deliveries };
		}),
	);
}

/**
 * The output item of a report, with an `error` field when a delivery failed (only reached when the
 * node continues on fail). No item carries n8n's own `error` property: n8n would replace the item's
 * JSON, report included, with the error message.
 */
function reportItem(
	context: IExecuteFunctions,
	report: EventReport,
	pairedItem: IPairedItemData[],
): INodeExecutionData {
	const error = reportError(report);
	if (error === null) return { json: report, pairedItem };
	// n8n sends an item to the error output only when its JSON holds nothing but error, message and
	// details; there the report goes in details (and n8n adds the input item's fields). n8n before
	// 2.36 accepts no details: there the error message alone names what failed.
	if (context.getNode().onError === 'continueErrorOutput')
		return {
			json: errorOutputKeepsDetails() ? { error, details: report } : { error },
			pairedItem,
		};
	return { json: { ...report, error }, pairedItem };
}
