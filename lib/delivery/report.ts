import type { DeliveryResult } from './deliver';

/** The output item for one event: what happened at every destination. (A type, so it is plain JSON to n8n.) */
export type EventReport = {
	eventId: string;
	type: string;
	deliveries: DeliveryResult[];
};

/** A report together with the input item it belongs to. */
export interface ItemReport {
	itemIndex: number;
	report: EventReport;
}

/** At most this many failures are listed in an error's description. */
export const LISTED_FAILURES = 10;

/** At most this many distinct failures are named in an error's message. */
const NAMED_FAILURES = 3;

/**
 * A URL as error messages show it: without query string and fragment, which often carry
 * access tokens. Errors travel further than reports (logs, error workflows, error reporting).
 */
export function urlForMessages(url: string): string {
	if (!URL.canParse(url)) return '(invalid URL)';
	const { origin, pathname } = new URL(url);
	return `${origin}${pathname}`;
}

function describeFailure(delivery: DeliveryResult): string {
	const attempts = delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`;
	return `${urlForMessages(delivery.url)}: ${delivery.error ?? 'failed'} (${attempts})`;
}

function failedDeliveries(report: EventReport): DeliveryResult[] {
	return report.deliveries.filter((delivery) => !delivery.ok);
}

/** The `error` field of a report with failed deliveries, or null when every delivery succeeded. */
export function reportError(report: EventReport): string | null {
	const failed = failedDeliveries(report);
	if (failed.length === 0) return null;
	const count = `${failed.length} of ${report.deliveries.length}`;
	return `${count} deliveries of event ${report.eventId} failed: ${failed.map(describeFailure).join('; ')}`;
}

export interface RunFailure {
	message: string;
	description: string;
	/** The first input item with a failed delivery. */
	itemIndex: number;
}

/** Sums up every failed delivery of a run for the error the node throws, or null when all succeeded. */
export function runFailure(reports: ItemReport[]): RunFailure | null {
	const failures = reports.flatMap(({ itemIndex, report }) =>
		failedDeliveries(report).map((delivery) => ({ itemIndex, eventId: report.eventId, delivery })),
	);
	if (failures.length === 0) return null;
	const total = reports.reduce((sum, { report }) => sum + report.deliveries.length, 0);
	const lines = failures
		.slice(0, LISTED_FAILURES)
		.map(
			({ itemIndex, eventId, delivery }) =>
				`Item ${itemIndex}, event ${eventId}: ${describeFailure(delivery)}`,
		);
	if (failures.length > LISTED_FAILURES)
		lines.push(`…and ${failures.length - LISTED_FAILURES} more.`);
	const distinct = [
		...new Set(
			failures.map(({ delivery }) => `${urlForMessages(delivery.url)} (${delivery.error})`),
		),
	];
	const named =
		distinct.slice(0, NAMED_FAILURES).join(', ') + (distinct.length > NAMED_FAILURES ? ', …' : '');
	return {
		message: `${failures.length} of ${total} deliveries failed: ${named}`,
		description: `Every delivery was attempted; these failed:\n${lines.join('\n')}`,
		itemIndex: failures[0].itemIndex,
	};
}
