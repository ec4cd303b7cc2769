export type HeaderBag = Record<string, string | string[] | undefined>;

/** Reads a header case-insensitively; repeated headers are joined with a space. Blank values count as absent. */
export function readHeader(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	let value = headers[wanted];
	if (value === undefined) {
		const key = Object.keys(headers).find(
			(candidate) => candidate.toLowerCase() === wanted && headers[candidate] !== undefined,
		);
		value = key === undefined ? undefined : headers[key];
	}
	const joined = Array.isArray(value) ? value.join(' ') : value;
	const trimmed = joined?.trim();
	return trimmed ? trimmed : undefined;
}
