import { createHmac, timingSafeEqual } from 'node:crypto';

import type { AttemptRecord, DeliveryResult } from './deliver';
import { MAX_DESTINATIONS } from './destinations';

/** The attempts a delivery's report and retry state keep: the latest ones, so neither grows without bound. */
export const MAX_HISTORY = 20;

/**
 * A retry item may arrive this much before its next attempt time (clocks of n8n processes differ
 * a little). Earlier means it skipped the wait, which would burn through the schedule at once.
 */
export const EARLY_ARRIVAL_TOLERANCE_MS = 5000;

/**
 * Version 2 adds each owed destination's first attempt time and the destinations that accepted in
 * earlier rounds. Version 1 states, sealed before and still waiting in executions, open as they were.
 */
const STATE_VERSION = 2;
const VERSIONS = [1, STATE_VERSION];

/** A destination still owed the event, with what was tried so far. */
export type OwedDestination = {
	url: string;
	headers: Record<string, string>;
	/** Attempts made so far, in every round. */
	attempts: number;
	history: AttemptRecord[];
	/** When the first attempt started (ISO time); absent in version 1 states. */
	firstAttemptAt?: string;
};

/** What a retry item carries to send the same event again later. (A type, so it is plain JSON to n8n.) */
export type RetryState = {
	version: number;
	eventId: string;
	type: string;
	/** The serialised body: the same bytes go out in every round. */
	body: string;
	/** Rounds of attempts made so far. */
	round: number;
	/** When the next round is due (ISO time); the Wait node in the loop waits until then. */
	nextAttemptAt: string;
	owed: OwedDestination[];
	/** What the destinations that accepted the event in earlier rounds reported; absent in version 1 states. */
	delivered?: DeliveryResult[];
	/** HMAC over everything above, so a changed or made-up state is refused instead of sent. */
	seal: string;
};

/** What Notify seals now: every field of the current version. */
export type UnsealedRetryState = Omit<RetryState, 'seal' | 'version' | 'owed' | 'delivered'> & {
	owed: Array<OwedDestination & { firstAttemptAt: string }>;
	delivered: DeliveryResult[];
};

const KEY_PURPOSE = 'n8n-nodes-flow-webhooks notify retry state';

/**
 * The key that seals retry states. Derived from the signing key, so nobody without the secret can
 * make Notify sign a body of their choosing by feeding it a retry item. Unsigned events have no
 * secret: their seal is a checksum that catches accidental edits only (there is nothing to forge).
 */
export function retryStateKey(signingKey: Buffer | null): Buffer {
	return createHmac('sha256', signingKey ?? Buffer.from('unsigned'))
		.update(KEY_PURPOSE)
		.digest();
}

const headerPairs = (headers: Record<string, string>) =>
	Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const attemptFields = (history: AttemptRecord[]) =>
	history.map((record) => [record.at, record.status, record.error]);

/** What the seal covers, as an array: it fixes the order, whatever order the JSON keys come back in. */
function sealedContent(state: Omit<RetryState, 'seal' | 'version'>, version: number): unknown[] {
	const owed = state.owed.map((destination) => [
		destination.url,
		headerPairs(destination.headers),
		destination.attempts,
		attemptFields(destination.history),
		...(version >= 2 ? [destination.firstAttemptAt] : []),
	]);
	const common = [version, state.eventId, state.type, state.body, state.round, state.nextAttemptAt];
	if (version < 2) return [...common, owed];
	const delivered = (state.delivered ?? []).map((result) => [
		result.url,
		result.status,
		result.attempts,
		result.durationMs,
		result.responseBody,
		attemptFields(result.history),
	]);
	return [...common, owed, delivered];
}

function sealOf(state: Omit<RetryState, 'seal' | 'version'>, key: Buffer, version: number): string {
	return createHmac('sha256', key)
		.update(JSON.stringify(sealedContent(state, version)))
		.digest('base64url');
}

export function sealRetryState(state: UnsealedRetryState, key: Buffer): RetryState {
	return { version: STATE_VERSION, ...state, seal: sealOf(state, key, STATE_VERSION) };
}

/** An item's retry state, ready to send again, or why Notify refuses it. */
export type OpenedState =
	| { kind: 'opened'; state: RetryState }
	| { kind: 'refused'; message: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string';
const isWhole = (value: unknown, least: number): value is number =>
	typeof value === 'number' && Number.isInteger(value) && value >= least;
const isCount = (value: unknown): value is number => isWhole(value, 1);

function isAttemptRecord(value: unknown): value is AttemptRecord {
	return (
		isObject(value) &&
		isText(value.at) &&
		(value.status === null || typeof value.status === 'number') &&
		(value.error === null || isText(value.error))
	);
}

const isTime = (value: unknown): value is string =>
	isText(value) && !Number.isNaN(Date.parse(value));

const isHistory = (value: unknown): value is AttemptRecord[] =>
	Array.isArray(value) && value.length <= MAX_HISTORY && value.every(isAttemptRecord);

function isOwedDestination(value: unknown, version: number): value is OwedDestination {
	return (
		isObject(value) &&
		isText(value.url) &&
		isObject(value.headers) &&
		Object.values(value.headers).every(isText) &&
		isCount(value.attempts) &&
		isHistory(value.history) &&
		(version < 2 || isTime(value.firstAttemptAt))
	);
}

/** A destination's report from an earlier round in which it accepted the event. */
function isDeliveredResult(value: unknown): value is DeliveryResult {
	return (
		isObject(value) &&
		isText(value.url) &&
		value.ok === true &&
		(value.status === null || typeof value.status === 'number') &&
		// None when it had accepted before a retry of an interrupted execution.
		isWhole(value.attempts, 0) &&
		typeof value.durationMs === 'number' &&
		value.error === null &&
		(value.responseBody === null || isText(value.responseBody)) &&
		isHistory(value.history)
	);
}

/** The first field of a retry state that is missing or malformed, or null when all are sound. */
function malformedField(value: Json): string | null {
	const { version } = value;
	if (typeof version !== 'number' || !VERSIONS.includes(version)) return 'version';
	if (!isText(value.eventId) || value.eventId === '') return 'eventId';
	if (!isText(value.type)) return 'type';
	if (!isText(value.body)) return 'body';
	if (!isCount(value.round)) return 'round';
	if (!isText(value.nextAttemptAt) || Number.isNaN(Date.parse(value.nextAttemptAt)))
		return 'nextAttemptAt';
	if (
		!Array.isArray(value.owed) ||
		value.owed.length === 0 ||
		value.owed.length > MAX_DESTINATIONS ||
		!value.owed.every((owed) => isOwedDestination(owed, version))
	)
		return 'owed';
	if (
		version >= 2 &&
		(!Array.isArray(value.delivered) ||
			value.delivered.length >= MAX_DESTINATIONS ||
			!value.delivered.every(isDeliveredResult))
	)
		return 'delivered';
	if (!isText(value.seal)) return 'seal';
	return null;
}

function sealMatches(state: RetryState, keys: Buffer[]): boolean {
	const given = Buffer.from(state.seal);
	return keys.some((key) => {
		const expected = Buffer.from(sealOf(state, key, state.version));
		return expected.length === given.length && timingSafeEqual(expected, given);
	});
}

/**
 * Checks an item's retry state before anything is sent: complete, sealed with one of `keys`
 * (current secret first, then one kept during a rotation), and not arriving before its time.
 */
export function openRetryState(value: unknown, keys: Buffer[], nowMs: number): OpenedState {
	if (!isObject(value))
		return {
			kind: 'refused',
			message: 'The item has no retry state (its retry field is not an object).',
		};
	const field = malformedField(value);
	if (field !== null)
		return {
			kind: 'refused',
			message: `The item's retry state is incomplete or malformed (field "${field}"); Notify does not send it.`,
		};
	const state = value as RetryState;
	if (!sealMatches(state, keys)) {
		return {
			kind: 'refused',
			message:
				"The item's retry state was changed after Notify wrote it, or was sealed with another signing secret; Notify does not send it.",
		};
	}
	if (Date.parse(state.nextAttemptAt) - nowMs > EARLY_ARRIVAL_TOLERANCE_MS) {
		return {
			kind: 'refused',
			message: `The retry item arrived before its next attempt time (${state.nextAttemptAt}). Route the Retry Later output through a Wait node that resumes at {{ $json.retry.nextAttemptAt }}.`,
		};
	}
	return { kind: 'opened', state };
}

/** `earlier` then `latest`, keeping the newest MAX_HISTORY attempts. */
export function boundedHistory(earlier: AttemptRecord[], latest: AttemptRecord[]): AttemptRecord[] {
	return [...earlier, ...latest].slice(-MAX_HISTORY);
}
