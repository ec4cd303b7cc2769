const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** `application/json` and `application/*+json` (e.g. `application/cloudevents+json`). A missing type is tolerated. */
export function isJsonContentType(contentType: string | undefined): boolean {
	if (!contentType) return true;
	return JSON_TYPE.test(contentType.split(';')[0].trim());
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false };

export function parseJson(bytes: Buffer): JsonParseResult {
	try {
		return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
	} catch {
		return { ok: false };
	}
}
