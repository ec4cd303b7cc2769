import type { IDataObject, IExecuteFunctions, IPairedItemData } from 'n8n-workflow';

import { createLimiter } from '../../lib/delivery/limiter';
import { acceptedEarlier, deliverWithRetries, type Delivery } from '../../lib/delivery/deliver';
import type { Destination } from '../../lib/delivery/destinations';
import type { EventReport } from '../../lib/delivery/report';

import type { RunSettings } from './config';
import { deliveredLedger, deliveryKey } from './deliveredLedger';
import { prepareEvent, prepareTestEvent, type PreparedEvent } from './prepareEvent';
import { applyErrorPolicy } from './errorPolicy';
import { createSender, deliveryRuntime } from './transport';

interface ItemRef {
	itemIndex: number;
	pairedItem: IPairedItemData[];
}

/** An input item's event, or the output of an item whose event could not be built. */
export type Planned = ItemRef &
	({ kind: 'event'; event: PreparedEvent } | { kind: 'unbuilt'; json: IDataObject });

/** A planned event after delivery: each destination's delivery. */
export type Outcome =
	| (ItemRef & { kind: 'delivered'; event: PreparedEvent; deliveries: Delivery[] })
	| Extract<Planned, { kind: 'unbuilt' }>;

/** Reads every item's event. An item that cannot be built goes by the error policy, before anything is sent. */
export function planEvents(context: IExecuteFunctions, settings: RunSettings): Planned[] {
	const items = context.getInputData();
	if (settings.operation === 'sendTestEvent') {
		// One ping per run, not per item: it checks the destinations, not the data.
		const pairedItem = items.map((_, item) => ({ item }));
		return [
			{ kind: 'event', itemIndex: 0, pairedItem, event: prepareTestEvent(context, settings) },
		];
	}
	return items.map((_, itemIndex): Planned => {
		const pairedItem = [{ item: itemIndex }];
		try {
			const event = prepareEvent(context, itemIndex, settings);
			return { kind: 'event', itemIndex, pairedItem, event };
		} catch (error) {
			const [json] = applyErrorPolicy(context, { kind: 'item', itemIndex, error });
			return { kind: 'unbuilt', itemIndex, pairedItem, json };
		}
	});
}

/**
 * Delivers every planned event to each of its destinations through one shared limiter. Tasks are
 * queued item by item and, within an item, destination by destination, so they start in that order.
 * Each acceptance is recorded as it comes; a retry of an interrupted execution skips the
 * destinations that had accepted the event before.
 */
export async function deliverAll(
	context: IExecuteFunctions,
	plan: Planned[],
	settings: RunSettings,
): Promise<Outcome[]> {
	const limit = createLimiter(settings.concurrency);
	const cancelSignal = context.getExecutionCancelSignal?.();
	const send = createSender(context, settings);
	const ledger = deliveredLedger(context, settings.operation === 'sendEvent');
	const earlier = await ledger.acceptedBefore(
		plan.flatMap((planned) =>
			planned.kind === 'event'
				? planned.event.destinations.map(({ url }) => deliveryKey(planned.event.id, url))
				: [],
		),
	);
	addAcceptedEarlierHint(context, earlier.size);
	const deliver = async (event: PreparedEvent, destination: Destination): Promise<Delivery> => {
		if (earlier.has(deliveryKey(event.id, destination.url)))
			return acceptedEarlier(destination.url);
		const delivery = await limit(
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
		if (delivery.result.ok) ledger.accepted(event.id, destination.url);
		return delivery;
	};
	const outcomes = await Promise.all(
		plan.map(async (planned): Promise<Outcome> => {
			if (planned.kind === 'unbuilt') return planned;
			const { itemIndex, pairedItem, event } = planned;
			const deliveries = await Promise.all(
				event.destinations.map(async (destination) => await deliver(event, destination)),
			);
			return { kind: 'delivered', itemIndex, pairedItem, event, deliveries };
		}),
	);
	await ledger.flush();
	return outcomes;
}

/** Says, in the retried execution's output, which deliveries were not made again and why. */
function addAcceptedEarlierHint(context: IExecuteFunctions, count: number): void {
	if (count === 0) return;
	context.addExecutionHints({
		type: 'info',
		location: 'outputPane',
		message: `This retry of an interrupted execution did not send again the ${count === 1 ? 'delivery' : `${count} deliveries`} accepted before the interruption (acceptedEarlier in the report); the other destinations got each event with the id it had.`,
	});
}

export function reportOf(event: PreparedEvent, deliveries: Delivery[]): EventReport {
	return {
		eventId: event.id,
		type: event.type,
		deliveries: deliveries.map(({ result }) => result),
	};
}
