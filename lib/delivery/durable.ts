import type { AttemptRecord, Delivery, DeliveryResult } from './deliver';
import type { Destination } from './destinations';
import type { EventReport } from './report';
import { boundedHistory, sealRetryState, type RetryState } from './retryState';

/** What earlier rounds tried at one destination. */
export interface EarlierAttempts {
	attempts: number;
	history: AttemptRecord[];
}

/** One destination's delivery in this round, with what earlier rounds tried there. */
export interface RoundDelivery {
	destination: Destination;
	delivery: Delivery;
	earlier?: EarlierAttempts;
}

export interface Round {
	event: { id: string; type: string; body: string };
	deliveries: RoundDelivery[];
	/** Rounds made before this one: 0 for a new event. */
	roundsBefore: number;
	/** Waits before each later round (the retry schedule). */
	delaysMs: number[];
	nowMs: number;
	stateKey: Buffer;
}

export interface SettledRound {
	/** Every delivery of this round, counting attempts and history of earlier rounds too. */
	report: EventReport;
	/** The state to send the event again to the destinations still owed, or null when none are. */
	retry: RetryState | null;
	/** Deliveries that failed for good: refused, not retryable, or out of rounds. */
	finalFailures: DeliveryResult[];
}

function withEarlier({ delivery, earlier }: RoundDelivery): DeliveryResult {
	if (!earlier) return delivery.result;
	return {
		...delivery.result,
		attempts: earlier.attempts + delivery.result.attempts,
		history: boundedHistory(earlier.history, delivery.result.history),
	};
}

/**
 * Settles one round of a durable delivery: destinations that failed in a way a later round could
 * fix stay owed while the schedule has waits left; everything else is final.
 */
export function settleRound(round: Round): SettledRound {
	const thisRound = round.roundsBefore + 1;
	const delayMs = round.delaysMs[thisRound - 1];
	const rounds = thisRound === 1 ? '1 round' : `${thisRound} rounds`;
	const settled = round.deliveries.map((entry) => {
		const result = withEarlier(entry);
		const retryable = entry.delivery.worthRetryingLater;
		if (retryable && delayMs === undefined)
			return {
				entry,
				owed: false,
				result: { ...result, error: `${result.error}; no retry left after ${rounds}` },
			};
		return { entry, owed: retryable, result };
	});
	const report: EventReport = {
		eventId: round.event.id,
		type: round.event.type,
		deliveries: settled.map(({ result }) => result),
	};
	const finalFailures = settled
		.filter(({ owed, result }) => !owed && !result.ok)
		.map(({ result }) => result);
	const owed = settled.filter((delivery) => delivery.owed);
	if (owed.length === 0 || delayMs === undefined) return { report, retry: null, finalFailures };
	const retry = sealRetryState(
		{
			eventId: round.event.id,
			type: round.event.type,
			body: round.event.body,
			round: thisRound,
			nextAttemptAt: new Date(round.nowMs + delayMs).toISOString(),
			owed: owed.map(({ entry, result }) => ({
				url: entry.destination.url,
				headers: entry.destination.headers,
				attempts: result.attempts,
				history: result.history,
			})),
		},
		round.stateKey,
	);
	return { report, retry, finalFailures };
}
