export const MAX_DESTINATIONS = 5;

/** A validated destination: an http(s) URL and the extra headers sent to it. */
export interface Destination {
	url: string;
	headers: Record<string, string>;
}

/** A destination as the node's parameters give it, before validation. */
export interface DestinationInput {
	url?: unknown;
	headers?: Array<{ name?: unknown; value?: unknown }>;
}

/** The validated destinations, or what is wrong with the first one that is not valid. */
export type DestinationsResult =
	| { kind: 'valid'; destinations: Destination[] }
	| { kind: 'invalid'; message: string };

type HeadersResult =
	| { kind: 'valid'; headers: Record<string, string> }
	| { kind: 'invalid'; message: string };

// RFC 9110 token characters; Node.js refuses to send any other header name.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

function text(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

function invalid(position: number, problem: string): { kind: 'invalid'; message: string } {
	return { kind: 'invalid', message: `Destination ${position}: ${problem}` };
}

function urlProblem(url: string): string | undefined {
	if (url === '') return 'the URL is empty.';
	if (!URL.canParse(url)) return `"${url}" is not a valid URL.`;
	const parsed = new URL(url);
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		return 'only http:// and https:// URLs are supported.';
	}
	// URLs appear in reports and error messages, and so would credentials inside them.
	if (parsed.username !== '' || parsed.password !== '') {
		return 'the URL contains a user name or password. Send credentials in an extra header (e.g. Authorization) instead.';
	}
	return undefined;
}

function checkHeaders(
	position: number,
	rows: DestinationInput['headers'],
	reservedNames: Set<string>,
): HeadersResult {
	const headers: Record<string, string> = {};
	const seen = new Set<string>();
	for (const row of rows ?? []) {
		const name = text(row.name);
		const value = text(row.value);
		// "Add Header" in the editor creates an empty row; one left blank means nothing.
		if (name === '' && value === '') continue;
		const lowerName = name.toLowerCase();
		if (!HEADER_NAME.test(name)) return invalid(position, `"${name}" is not a valid header name.`);
		if (reservedNames.has(lowerName)) {
			return invalid(
				position,
				`Notify sets the ${name} header itself; remove it from the extra headers.`,
			);
		}
		if (seen.has(lowerName)) return invalid(position, `the ${name} header is set twice.`);
		if (HEADER_VALUE_FORBIDDEN.test(value))
			return invalid(position, `the value of the ${name} header contains a line break.`);
		seen.add(lowerName);
		headers[name] = value;
	}
	return { kind: 'valid', headers };
}

/**
 * Validates the destinations before anything is sent: one to five distinct http(s) URLs without
 * credentials in them, and extra headers that are well-formed and leave Notify's own headers alone.
 * `reservedHeaders` are the lower-case names of the headers Notify sets itself.
 */
export function resolveDestinations(
	inputs: DestinationInput[],
	reservedHeaders: string[],
): DestinationsResult {
	if (inputs.length === 0) return { kind: 'invalid', message: 'Add at least one destination URL.' };
	if (inputs.length > MAX_DESTINATIONS) {
		return {
			kind: 'invalid',
			message: `Notify sends to at most ${MAX_DESTINATIONS} destinations, but ${inputs.length} are configured. Split them over several Notify nodes.`,
		};
	}
	const reservedNames = new Set(reservedHeaders);
	const destinations: Destination[] = [];
	for (const [index, input] of inputs.entries()) {
		const position = index + 1;
		const url = text(input.url);
		const problem = urlProblem(url);
		if (problem !== undefined) return invalid(position, problem);
		const repeated = destinations.findIndex((destination) => destination.url === url);
		if (repeated >= 0)
			return invalid(position, `the URL repeats that of destination ${repeated + 1}.`);
		const headers = checkHeaders(position, input.headers, reservedNames);
		if (headers.kind === 'invalid') return headers;
		destinations.push({ url, headers: headers.headers });
	}
	return { kind: 'valid', destinations };
}
