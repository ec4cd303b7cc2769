import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { openRetryState } from '../../lib/delivery/retryState';
import { misconfigurationError } from '../../lib/n8n/respond';

import type { RunSettings } from './config';
import { checkedDestinations } from './destinations';
import type { PreparedEvent } from './prepareEvent';

/**
 * Whether an item comes back to be sent again with Retry Later: it carries a retry state, or it is
 * one of Notify's reports. Sent on as a new event a report would get a new id, so a report that
 * lost its retry state is refused rather than sent.
 */
export function isRetryItem(json: IDataObject): boolean {
	const isReport = typeof json.eventId === 'string' && Array.isArray(json.deliveries);
	return json.retry !== undefined || isReport;
}

/**
 * The event a retry item carries, to send again to the destinations still owed. Its state must be
 * intact, and the owed destinations must still pass the checks a new event's destinations pass.
 */
export function prepareRetry(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
	retry: unknown,
): PreparedEvent {
	const opened = openRetryState(retry, settings.stateKeys, Date.now());
	if (opened.kind === 'refused')
		throw misconfigurationError(
			context,
			opened.message,
			"Connect Retry Later to a Wait node that resumes at {{ $json.retry.nextAttemptAt }} and back into this node, and leave the items' retry field as Notify wrote it. A retry state sealed with a secret that is neither the credential's Secret nor its Previous Secret is refused too.",
			itemIndex,
		);
	const { state } = opened;
	const destinations = checkedDestinations(
		context,
		state.owed.map((owed) => ({
			url: owed.url,
			headers: Object.entries(owed.headers).map(([name, value]) => ({ name, value })),
		})),
		{ settings, itemIndex, messagePrefix: `The retry of event ${state.eventId} cannot be sent: ` },
	);
	return {
		id: state.eventId,
		type: state.type,
		body: state.body,
		destinations,
		roundsBefore: state.round,
		earlier: new Map(
			state.owed.map(({ url, attempts, history, firstAttemptAt }) => [
				url,
				{ attempts, history, firstAttemptAt },
			]),
		),
		deliveredBefore: state.delivered ?? [],
	};
}
