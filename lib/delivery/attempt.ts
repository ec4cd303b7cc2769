import { firstHeaderValue } from '../http/headers';

/** How much of a receiver's answer the report keeps. */
export const RESPONSE_PREVIEW_CHARS = 1024;

/** What one HTTP attempt came to, in the terms the retry loop decides on. */
export type AttemptOutcome =
	| { kind: 'response'; status: number; retryAfter?: string; body: string }
	| { kind: 'failed'; retryable: boolean; message: string }
	| { kind: 'cancelled' };

/** The parts of a full response (n8n's `returnFullResponse`) that matter here. */
export interface ReceivedResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export interface ErrorCircumstances {
	/** The attempt's own deadline passed. */
	timedOut: boolean;
	/** The execution was stopped. */
	cancelled: boolean;
	timeoutMs: number;
}

// Failures on the way to or from the receiver, worth another try. Anything else (an invalid URL,
// a TLS problem, a request blocked by n8n's outbound policy) fails the same way every time.
const NETWORK_ERRORS = new Map([
	['EAI_AGAIN', 'DNS lookup failed temporarily'],
	['ECONNREFUSED', 'Connection refused'],
	['ECONNRESET', 'Connection reset by the receiver'],
	['EHOSTUNREACH', 'Host unreachable'],
	['ENETDOWN', 'Network down'],
	['ENETUNREACH', 'Network unreachable'],
	['ENOTFOUND', 'Host not found'],
	['EPIPE', 'Connection closed by the receiver'],
	['UND_ERR_SOCKET', 'Connection closed by the receiver'],
]);
const TIMEOUT_ERRORS = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
]);
// Causes can nest (and in theory loop); a few levels reach every code HTTP clients set.
const MAX_CAUSE_DEPTH = 5;

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body) ?? '';
}

export function outcomeFromResponse(response: ReceivedResponse): AttemptOutcome {
	return {
		kind: 'response',
		status: response.statusCode,
		retryAfter: firstHeaderValue(response.headers, 'retry-after'),
		body: bodyText(response.body).slice(0, RESPONSE_PREVIEW_CHARS),
	};
}

/** The `code`s of an error and its causes, outermost first, as Node.js and HTTP clients set them. */
function errorCodes(error: unknown): string[] {
	const codes: string[] = [];
	let current: unknown = error;
	for (
		let depth = 0;
		depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null;
		depth++
	) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string') codes.push(code);
		current = cause;
	}
	return codes;
}

/**
 * Classifies an error thrown by the HTTP client. Only the error's code and message are read:
 * client errors also carry the request, signature headers included, which must not leak.
 */
export function outcomeFromError(
	error: unknown,
	circumstances: ErrorCircumstances,
): AttemptOutcome {
	if (circumstances.cancelled) return { kind: 'cancelled' };
	const codes = errorCodes(error);
	if (circumstances.timedOut || codes.some((code) => TIMEOUT_ERRORS.has(code))) {
		return {
			kind: 'failed',
			retryable: true,
			message: `No answer within ${circumstances.timeoutMs} ms`,
		};
	}
	const networkCode = codes.find((code) => NETWORK_ERRORS.has(code));
	if (networkCode !== undefined) {
		return {
			kind: 'failed',
			retryable: true,
			message: `${NETWORK_ERRORS.get(networkCode)} (${networkCode})`,
		};
	}
	const message = error instanceof Error && error.message ? error.message : 'The request failed';
	return { kind: 'failed', retryable: false, message };
}
