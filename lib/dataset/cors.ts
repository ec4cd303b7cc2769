/** Browser origins allowed to read the data: none, any, or a list. */
export type AllowedOrigins =
	| { kind: 'none' }
	| { kind: 'any' }
	| { kind: 'list'; origins: string[] };

/** Parses the option text: empty for none, `*` for any, otherwise origins separated by commas. */
export function parseAllowedOrigins(text: string): AllowedOrigins {
	const entries = text
		.split(',')
		.map((entry) => normalizeOrigin(entry))
		.filter(Boolean);
	if (entries.length === 0) return { kind: 'none' };
	if (entries.includes('*')) return { kind: 'any' };
	return { kind: 'list', origins: entries };
}

/**
 * CORS headers for an answer to a request from `origin` (undefined when not from a browser page).
 * With a list, `Vary: Origin` goes on every answer so shared caches keep one copy per origin.
 */
export function corsHeaders(
	origin: string | undefined,
	allowed: AllowedOrigins,
): Record<string, string> {
	if (allowed.kind === 'none') return {};
	// Browsers only let a page read ETag and Retry-After (on 429) when they are exposed;
	// Last-Modified is always readable.
	const exposed = { 'Access-Control-Expose-Headers': 'ETag, Retry-After' };
	if (allowed.kind === 'any') return { 'Access-Control-Allow-Origin': '*', ...exposed };
	const vary = { Vary: 'Origin' };
	if (origin === undefined || !allowed.origins.includes(normalizeOrigin(origin))) return vary;
	return { 'Access-Control-Allow-Origin': origin, ...vary, ...exposed };
}

// Origins compare case-insensitively in scheme and host, and never carry a path or trailing slash.
function normalizeOrigin(origin: string): string {
	return origin.trim().replace(/\/+$/, '').toLowerCase();
}
