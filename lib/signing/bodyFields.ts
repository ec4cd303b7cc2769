import { readPath } from '../events/normalize';
import { parseBody } from '../http/body';

/** Reads a field of the body by its dotted path: its text, or undefined when absent or no text. */
export type BodyFields = (path: string) => string | undefined;

function parsedObject(
	body: Buffer | string,
	contentType: string | undefined,
): Record<string, unknown> | undefined {
	const parsed = parseBody(Buffer.from(body), contentType);
	if (parsed.kind !== 'parsed') return undefined;
	const { value } = parsed;
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

/**
 * The fields of a JSON or form body, for a sender that posts its signature, timestamp or nonce in
 * the body: parsed once, when a field is first read, so that a profile reading only headers never
 * parses an unverified body. A string is read as it is, a number as its text (a timestamp written
 * either way).
 */
export function bodyFields(body: Buffer | string = '', contentType?: string): BodyFields {
	let parsed: Record<string, unknown> | undefined | null = null;
	return (path) => {
		if (parsed === null) parsed = parsedObject(body, contentType);
		const value = parsed === undefined ? undefined : readPath(parsed, path);
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		return typeof value === 'string' && value.trim() !== '' ? value : undefined;
	};
}

/** The first of `paths` the body holds, and its text. */
export function firstField(fields: BodyFields, paths: string[] = []): [string, string] | undefined {
	for (const path of paths) {
		const value = fields(path);
		if (value !== undefined) return [path, value];
	}
	return undefined;
}
