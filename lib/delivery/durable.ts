import type { AttemptRecord, Delivery, DeliveryResult } from './deliver';
import type { Destination } from './destinations';
import type { EventReport } from './report';
import { boundedHistory, sealRetryState, type RetryState } from './retryState';

/** What earlier rounds tried at one destination. */
export interface EarlierAttempts {
	attempts: number;
	history: AttemptRecord[];
	/** When the first attempt started (ISO time); unknown for states of version 1. */
	firstAttemptAt?: string;
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
	/** What the destinations that accepted the event in earlier rounds reported. */
	deliveredBefore?: DeliveryResult[];
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

/** A delivery's result over every round so far: attempts, history and time since its first attempt. */
function withEarlier({ delivery, earlier }: RoundDelivery, nowMs: number): DeliveryResult {
	if (!earlier) return delivery.result;
	const since = earlier.firstAttemptAt === undefined ? NaN : Date.parse(earlier.firstAttemptAt);
	return {
		...delivery.result,
		attempts: earlier.attempts + delivery.result.attempts,
		durationMs: Number.isNaN(since) ? delivery.result.durationMs : nowMs - since,
		history: boundedHistory(earlier.history, delivery.result.history),
	};
}

/** When a destination was first tried: kept from earlier rounds, else this round's first attempt. */
function firstAttemptAt({ delivery, earlier }: RoundDelivery, nowMs: number): string {
	if (earlier?.firstAttemptAt !== undefined) return earlier.firstAttemptAt;
	const first = Date.parse(delivery.result.history[0]?.at ?? '');
	return new Date(Number.isNaN(first) ? nowMs - delivery.result.durationMs : first).toISOString();
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
		const result = withEarlier(entry, round.nowMs);
		const retryable = entry.delivery.worthRetryingLater;
		if (retryable && delayMs === undefined)
			return {
				entry,
				owed: false,
				result: { ...result, error: `${result.error}; no retry left after ${rounds}` },
			};
		return { entry, owed: retryable, result };
	});
	const deliveredBefore = round.deliveredBefore ?? [];
	// Destinations that accepted in earlier rounds stay in every later report, as they were reported.
	const report: EventReport = {
		eventId: round.event.id,
		type: round.event.type,
		deliveries: [...deliveredBefore, ...settled.map(({ result }) => result)],
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
				firstAttemptAt: firstAttemptAt(entry, round.nowMs),
			})),
			delivered: [
				...deliveredBefore,
				...settled.filter(({ result }) => result.ok).map(({ result }) => result),
			],
		},
		round.stateKey,
	);
	return { report, retry, finalFailures };
}
