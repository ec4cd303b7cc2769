export type HeaderBag = Record<string, string | string[] | undefined>;

/** A header's value whatever the case of its name; undefined when absent. */
function headerValue<Value>(headers: Record<string, Value>, name: string): Value | undefined {
	const wanted = name.toLowerCase();
	if (headers[wanted] !== undefined) return headers[wanted];
	const key = Object.keys(headers).find(
		(candidate) => candidate.toLowerCase() === wanted && headers[candidate] !== undefined,
	);
	return key === undefined ? undefined : headers[key];
}

/** Reads a request header case-insensitively; repeated headers are joined with a space. Blank values count as absent. */
export function readHeader(headers: HeaderBag, name: string): string | undefined {
	const value = headerValue(headers, name);
	const joined = Array.isArray(value) ? value.join(' ') : value;
	const trimmed = joined?.trim();
	return trimmed ? trimmed : undefined;
}

/** The value of the first of `names` the request carries (aliases in order of preference). */
export function readFirstHeader(headers: HeaderBag, names: string[] = []): string | undefined {
	for (const name of names) {
		const value = readHeader(headers, name);
		if (value !== undefined) return value;
	}
	return undefined;
}

/**
 * Reads a response header as an HTTP client hands it over: the first of repeated values (a second
 * Retry-After is not part of the first), numbers as text.
 */
export function firstHeaderValue(
	headers: Record<string, unknown>,
	name: string,
): string | undefined {
	const value = headerValue(headers, name);
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
}
