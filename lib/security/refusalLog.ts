/**
 * One log line per refused request. The line is built from five named fields and nothing else,
 * so no body, header, token or signature can reach the log through it.
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
