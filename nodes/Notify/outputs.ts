import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { settleRound } from '../../lib/delivery/durable';
import type { EventReport, ItemReport } from '../../lib/delivery/report';
import type { RetryState } from '../../lib/delivery/retryState';

import type { RunSettings } from './config';
import { applyErrorPolicy } from './errorPolicy';
import { reportOf, type Outcome } from './run';

type Delivered = Extract<Outcome, { kind: 'delivered' }>;

/** The one output of in-run retries: every item's report, or what the error policy made of it. */
export function inRunOutput(context: IExecuteFunctions, outcomes: Outcome[]): INodeExecutionData[] {
	const delivered = outcomes.filter(
		(outcome): outcome is Delivered => outcome.kind === 'delivered',
	);
	const reports = applyErrorPolicy(context, {
		kind: 'run',
		reports: delivered.map(({ itemIndex, event, deliveries }) => ({
			itemIndex,
			report: reportOf(event, deliveries),
		})),
	});
	// The policy returns one JSON per delivered item, in their order among the outcomes.
	let next = 0;
	return outcomes.map((outcome) => ({
		json: outcome.kind === 'unbuilt' ? outcome.json : reports[next++],
		pairedItem: outcome.pairedItem,
	}));
}

/** Where one item's round leaves its event with Retry Later. */
type Settled =
	/** Every delivery succeeded. */
	| { kind: 'sent'; report: EventReport }
	/** Some destinations are still owed the event; `failed` lists deliveries that failed for good. */
	| { kind: 'owed'; report: EventReport; state: RetryState; failed?: EventReport }
	/** Nothing is owed, and some deliveries failed for good. */
	| { kind: 'failed'; failed: EventReport };

function settle({ event, deliveries }: Delivered, settings: RunSettings, nowMs: number): Settled {
	const { report, retry, finalFailures } = settleRound({
		event,
		deliveries: deliveries.map((delivery, index) => {
			const destination = event.destinations[index];
			return { destination, delivery, earlier: event.earlier.get(destination.url) };
		}),
		roundsBefore: event.roundsBefore,
		deliveredBefore: event.deliveredBefore,
		delaysMs: settings.delaysMs,
		nowMs,
		stateKey: settings.stateKeys[0],
	});
	if (retry === null)
		return finalFailures.length === 0
			? { kind: 'sent', report }
			: { kind: 'failed', failed: report };
	// With destinations still owed, the error path reports only the deliveries that failed for good.
	const failed = finalFailures.length > 0 ? { ...report, deliveries: finalFailures } : undefined;
	return { kind: 'owed', report, state: retry, failed };
}

const failedReport = (settled: Settled): EventReport | undefined =>
	settled.kind === 'sent' ? undefined : settled.failed;

/**
 * Retry Later: items whose deliveries all succeeded go to the first output, items still owed to a
 * destination to Retry Later with their retry state, failures for good by the error policy.
 */
export function retryLaterOutputs(
	context: IExecuteFunctions,
	outcomes: Outcome[],
	settings: RunSettings,
): INodeExecutionData[][] {
	const nowMs = Date.now();
	const settled = outcomes.map((outcome) =>
		outcome.kind === 'unbuilt' ? outcome : { ...outcome, round: settle(outcome, settings, nowMs) },
	);
	const failures: ItemReport[] = settled.flatMap((outcome) => {
		const report = outcome.kind === 'unbuilt' ? undefined : failedReport(outcome.round);
		return report ? [{ itemIndex: outcome.itemIndex, report }] : [];
	});
	// The policy returns one JSON per failed report, in their order among the outcomes.
	const failedJson = applyErrorPolicy(context, { kind: 'run', reports: failures });
	let next = 0;
	const sent: INodeExecutionData[] = [];
	const retryLater: INodeExecutionData[] = [];
	for (const outcome of settled) {
		const { pairedItem } = outcome;
		if (outcome.kind === 'unbuilt') {
			sent.push({ json: outcome.json, pairedItem });
			continue;
		}
		const { round } = outcome;
		if (round.kind === 'sent') sent.push({ json: round.report, pairedItem });
		if (round.kind === 'owed')
			retryLater.push({ json: { ...round.report, retry: round.state }, pairedItem });
		if (failedReport(round)) sent.push({ json: failedJson[next++], pairedItem });
	}
	return [sent, retryLater];
}
