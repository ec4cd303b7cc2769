import { isFlowEventType } from './flowEvents';

type JsonObject = Record<string, unknown>;

export interface NormalizeOptions {
	/** Dotted path of the event type, or `auto` (or empty) to try `autoTypeFields`. */
	typeField: string;
	/** What `auto` tries, in order: a sender's own fields; `event`, `type` and `event_type` when absent. */
	autoTypeFields?: string[];
	/** Dotted path of the event id in the body, used when the signature scheme carries none. */
	idField: string;
	/** Dotted paths tried in order instead of `idField`: a sender's own, while the user names none. */
	autoIdFields?: string[];
	/** Require a complete flow session event (`session_id`, `event`, `created`). */
	strictFlowEvents: boolean;
	/** Headers naming the event type, read before the body (GitHub's X-GitHub-Event). */
	typeHeaders?: string[];
	/** Headers holding the event id, read before the body (after a signed id). */
	idHeaders?: string[];
}

export interface NormalizedEvent {
	/** Undefined when neither the headers nor the body carry one. */
	id: string | undefined;
	event: string;
	sessionId: string | null;
	flowName: string | null;
	success: boolean | null;
	created: string | null;
	metadata: unknown;
	data: unknown;
}

/** The event the body holds, or why it is none: the fields at fault and a message for the sender. */
export type NormalizeResult =
	| { kind: 'event'; event: NormalizedEvent }
	| { kind: 'invalid'; fields: string[]; message: string };

const AUTO_TYPE_FIELDS = ['event', 'type', 'event_type'];
const MAX_UNIX_SECONDS = 1e11;

export function readPath(body: JsonObject, path: string): unknown {
	let value: unknown = body;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as JsonObject)[key];
	}
	return value;
}

function nonEmptyString(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The body fields the event type is read from, in order. */
function typeFields({ typeField, autoTypeFields }: NormalizeOptions): string[] {
	if (typeField !== '' && typeField !== 'auto') return [typeField];
	return autoTypeFields ?? AUTO_TYPE_FIELDS;
}

function readEventType(body: JsonObject, fields: string[]): string | undefined {
	for (const field of fields) {
		const value = nonEmptyString(readPath(body, field));
		if (value) return value;
	}
	return undefined;
}

function readId(body: JsonObject, idField: string): string | undefined {
	const value = readPath(body, idField);
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return nonEmptyString(value);
}

/** The first id among the fields `options` names. */
function readFirstId(body: JsonObject, options: NormalizeOptions): string | undefined {
	for (const field of options.autoIdFields ?? [options.idField || 'id']) {
		const id = readId(body, field);
		if (id !== undefined) return id;
	}
	return undefined;
}

/** Unix seconds, Unix milliseconds or a date string, as an ISO time; null when absent or unreadable. */
export function toIsoTime(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return new Date(value < MAX_UNIX_SECONDS ? value * 1000 : value).toISOString();
	}
	if (typeof value === 'string' && value.trim() !== '') {
		const time = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
		return Number.isNaN(time) ? null : new Date(time).toISOString();
	}
	return null;
}

function strictFlowProblems(body: JsonObject): string[] {
	const problems: string[] = [];
	if (!nonEmptyString(body.session_id)) problems.push('session_id');
	if (!isFlowEventType(body.event)) problems.push('event');
	if (typeof body.created !== 'number' || !Number.isInteger(body.created) || body.created < 0) {
		problems.push('created');
	}
	if (
		typeof body.event === 'string' &&
		body.event.startsWith('technology.') &&
		!nonEmptyString(readPath(body, 'data.technology_code'))
	) {
		problems.push('data.technology_code');
	}
	return problems;
}

/** What the request's headers (`typeHeaders`, `idHeaders`) say about the event. */
export interface HeaderFacts {
	type?: string;
	id?: string;
}

/**
 * Reads the common fields of the event formats the trigger understands; the headers' type and id
 * come before the body's. Never throws.
 */
export function normalizeEvent(
	body: unknown,
	options: NormalizeOptions,
	fromHeaders: HeaderFacts = {},
): NormalizeResult {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { kind: 'invalid', fields: ['body'], message: 'The body must be a JSON object.' };
	}
	const object = body as JsonObject;
	if (options.strictFlowEvents) {
		const problems = strictFlowProblems(object);
		if (problems.length > 0) {
			return {
				kind: 'invalid',
				fields: problems,
				message: `Not a valid flow session event: check ${problems.join(', ')}.`,
			};
		}
	}
	const event = fromHeaders.type ?? readEventType(object, typeFields(options));
	if (!event) {
		const where = [
			...(options.typeHeaders ?? []).map((header) => `the ${header} header`),
			...typeFields(options),
		].join(', ');
		return {
			kind: 'invalid',
			fields: [where],
			message: `The event type is missing (looked in: ${where}).`,
		};
	}
	return {
		kind: 'event',
		event: {
			id: fromHeaders.id ?? readFirstId(object, options),
			event,
			sessionId: nonEmptyString(object.session_id ?? object.sessionId) ?? null,
			flowName: nonEmptyString(object.flow_name ?? object.flowName) ?? null,
			success: typeof object.success === 'boolean' ? object.success : null,
			created: toIsoTime(object.created ?? object.timestamp),
			metadata: object.metadata ?? null,
			data: 'data' in object ? object.data : 'payload' in object ? object.payload : null,
		},
	};
}
