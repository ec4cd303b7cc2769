/**
 * One log line per refused request, or per minute for refusals that repeat (`RefusalLogSummary`).
 * The line is built from six named fields and nothing else, so no body, header, token or
 * signature can reach the log through it.
 */
export interface RefusalFields {
	nodeName: string;
	workflowId: string | undefined;
	/** The stable code the caller received (`signature_mismatch`, `duplicate`, ...). */
	reason: string;
	/** Only when the node read it from a request it could make sense of. */
	eventId?: string;
	/** The address n8n resolved for the caller (`req.ip`). */
	client: string | undefined;
	/** Refusals of this reason, node and client since the previous line, not logged one by one. */
	repeated?: number;
}

export type RefusalLevel = 'warn' | 'info' | 'debug';

export interface RefusalLogLine {
	level: RefusalLevel;
	message: string;
	/** The same fields as metadata, for n8n's JSON log format. */
	metadata: Record<string, string>;
}

/**
 * warn: someone may be probing or abusing the endpoint (forged, replayed or unauthenticated
 * requests, blocked addresses, floods). info: a sender or client sends what the node cannot use,
 * usually an integration bug. debug: normal traffic that simply starts nothing.
 */
const LEVELS: Record<string, RefusalLevel> = {
	ip_not_allowed: 'warn',
	rate_limited: 'warn',
	signature_mismatch: 'warn',
	missing_signature: 'warn',
	malformed_signature: 'warn',
	missing_timestamp: 'warn',
	timestamp_out_of_tolerance: 'warn',
	unauthorized: 'warn',
	invalid_json: 'info',
	payload_too_large: 'info',
	invalid_event: 'info',
	invalid_query: 'info',
	unreadable_body: 'info',
	duplicate: 'debug',
	delivery_in_progress: 'debug',
	ignored: 'debug',
};

/** The level a refusal is logged at; codes not listed are treated as warnings. */
export function refusalLevel(reason: string): RefusalLevel {
	return LEVELS[reason] ?? 'warn';
}

const MAX_VALUE_LENGTH = 200;

function capped(value: string): string {
	return value.length > MAX_VALUE_LENGTH ? `${value.slice(0, MAX_VALUE_LENGTH)}…` : value;
}

export function refusalLogLine(fields: RefusalFields): RefusalLogLine {
	const values: Array<[label: string, key: string, value: string | undefined]> = [
		['reason', 'reason', fields.reason],
		['node', 'nodeName', fields.nodeName],
		['workflow', 'workflowId', fields.workflowId],
		['event', 'eventId', fields.eventId],
		['client', 'client', fields.client ?? 'unknown'],
		['repeated', 'repeated', fields.repeated ? String(fields.repeated) : undefined],
	];
	const present = values.flatMap(([label, key, value]) =>
		value === undefined ? [] : [{ label, key, value: capped(String(value)) }],
	);
	// Values from the request (event id, forwarded address) are attacker-controlled: JSON quoting
	// keeps each one on this line and unambiguous.
	const pairs = present.map(({ label, value }) => `${label}=${JSON.stringify(value)}`).join(' ');
	return {
		level: refusalLevel(fields.reason),
		message: `Webhook request refused: ${pairs}`,
		metadata: Object.fromEntries(present.map(({ key, value }) => [key, value])),
	};
}

/** How long after a line the same node, client and reason log nothing more (their count goes on). */
const REFUSAL_SUMMARY_INTERVAL_MS = 60_000;
/** How many node, client and reason combinations one summary tracks at most (under 1 MB). */
const MAX_TRACKED_REFUSALS = 5000;

/** Whether a refusal gets a line, and how many like it went unlogged since the previous one. */
export type RefusalLogDecision = { log: false } | { log: true; repeated: number };

/**
 * Keeps a flood from filling the log: the first refusal of a node, client and reason is logged,
 * then at most one line per interval, carrying how many went unlogged in between. A new reason or
 * a new client is logged at once. Past its bound the combination logged longest ago is forgotten
 * (its next refusal is logged as new), so memory stays bounded whatever the callers.
 */
export class RefusalLogSummary {
	// In the order of their last line: the first is the one logged longest ago.
	private readonly combinations = new Map<string, { loggedAtMs: number; unlogged: number }>();

	constructor(
		private readonly intervalMs = REFUSAL_SUMMARY_INTERVAL_MS,
		private readonly maxTracked = MAX_TRACKED_REFUSALS,
	) {}

	/** Counts one refusal of `key` (node, client and reason) at `nowMs`. */
	note(key: string, nowMs: number): RefusalLogDecision {
		const seen = this.combinations.get(key);
		if (seen && nowMs - seen.loggedAtMs < this.intervalMs && nowMs >= seen.loggedAtMs) {
			seen.unlogged++;
			return { log: false };
		}
		this.combinations.delete(key);
		this.combinations.set(key, { loggedAtMs: nowMs, unlogged: 0 });
		for (const oldest of this.combinations.keys()) {
			if (this.combinations.size <= this.maxTracked) break;
			this.combinations.delete(oldest);
		}
		return { log: true, repeated: seen?.unlogged ?? 0 };
	}

	/** How many combinations are tracked right now. */
	get tracked(): number {
		return this.combinations.size;
	}
}

/** The summary of every node's refusals in this process. */
export const refusalLogSummary = new RefusalLogSummary();

/** The key `refusalLogSummary` counts a refusal under; request values are capped in length. */
export function refusalSummaryKey(
	scope: string,
	client: string | undefined,
	reason: string,
): string {
	return [scope, capped(client ?? ''), capped(reason)].join('\0');
}
