import { errorCode } from '../http/answers';

import type { IngestOutcome } from './handleIngest';

/** What the log says about an event that starts no execution: its reason code, and its id once known. */
export function ingestRefusal(
	outcome: Exclude<IngestOutcome, { kind: 'accepted' | 'handshake' }>,
): {
	reason: string;
	eventId?: string;
} {
	if (outcome.kind === 'rejected') return { reason: errorCode(outcome.answer) };
	const reason = outcome.kind === 'in_flight' ? errorCode(outcome.answer) : outcome.kind;
	return { reason, eventId: outcome.event.id };
}
