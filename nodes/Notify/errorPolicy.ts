import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	reportError,
	runFailure,
	type EventReport,
	type ItemReport,
} from '../../lib/delivery/report';
import { errorOutputKeepsDetails } from '../../lib/n8n/errorOutput';

/** Where a failure arose: one item, before anything was sent, or the deliveries of the whole run. */
export type Failure =
	/** The item's event could not be built. */
	| { kind: 'item'; itemIndex: number; error: unknown }
	/** Every delivery was attempted; the run's error sums up the failed ones among all these reports. */
	| { kind: 'run'; reports: ItemReport[] };

/**
 * Notify's error policy, the one place that applies the node's On Error setting. Unless the node
 * continues on fail, a failure stops the run: with the item's own error, or with one error listing
 * every failed delivery. Otherwise each item the failure concerns gets its output JSON: the error
 * of an item that could not be built, or its report, with the error of its failed deliveries.
 * Returns those JSONs in the order of the failure's items.
 */
export function applyErrorPolicy(context: IExecuteFunctions, failure: Failure): IDataObject[] {
	const continuing = context.continueOnFail();
	if (failure.kind === 'item') {
		const error =
			failure.error instanceof NodeOperationError
				? failure.error
				: new NodeOperationError(context.getNode(), failure.error as Error, {
						itemIndex: failure.itemIndex,
					});
		if (!continuing) throw error;
		return [{ error: error.message }];
	}
	if (!continuing) throwRunFailure(context, failure.reports);
	const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
	return failure.reports.map(({ report }) => reportJson(report, toErrorOutput));
}

function throwRunFailure(context: IExecuteFunctions, reports: ItemReport[]): void {
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
 * A report as an output item's JSON, with an `error` field when a delivery failed. None carries
 * n8n's own `error` property: n8n would replace the item's JSON, report included, with the error
 * message.
 */
function reportJson(report: EventReport, toErrorOutput: boolean): IDataObject {
	const error = reportError(report);
	if (error === null) return report;
	// n8n sends an item to the error output only when its JSON holds nothing but error, message and
	// details; there the report goes in details (and n8n adds the input item's fields). n8n before
	// 2.36 accepts no details: there the error message alone names what failed.
	if (toErrorOutput) return errorOutputKeepsDetails() ? { error, details: report } : { error };
	return { ...report, error };
}
