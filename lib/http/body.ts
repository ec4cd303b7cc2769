const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded$/i;

/** Whether a Content-Type header names a form body (parameters such as `charset` aside). */
export function isFormType(contentType: string | undefined): boolean {
	return FORM_TYPE.test((contentType ?? '').split(';')[0].trim());
}

export type ParsedBody =
	| { kind: 'parsed'; value: unknown }
	| { kind: 'unsupported_type' }
	| { kind: 'invalid_json' };

/** A form body as an object; a name sent more than once keeps every value, in order. */
function parseForm(text: string): Record<string, string | string[]> {
	const fields: Record<string, string | string[]> = {};
	for (const [name, value] of new URLSearchParams(text)) {
		const earlier = fields[name];
		if (earlier === undefined) fields[name] = value;
		else fields[name] = Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
	}
	return fields;
}

function parseJson(text: string): ParsedBody {
	try {
		return { kind: 'parsed', value: JSON.parse(text) };
	} catch {
		return { kind: 'invalid_json' };
	}
}

/**
 * Parses the body by its Content-Type: JSON (`application/json`, `application/*+json`, or no type
 * at all) or a form (`application/x-www-form-urlencoded`). A form with `jsonFormField` sent once is
 * that field's JSON instead (Slack's interactivity `payload`). Never throws.
 */
export function parseBody(
	bytes: Buffer,
	contentType: string | undefined,
	jsonFormField?: string,
): ParsedBody {
	const type = (contentType ?? '').split(';')[0].trim();
	const text = bytes.toString('utf8');
	if (FORM_TYPE.test(type)) {
		const form = parseForm(text);
		const json = jsonFormField === undefined ? undefined : form[jsonFormField];
		return typeof json === 'string' ? parseJson(json) : { kind: 'parsed', value: form };
	}
	if (type !== '' && !JSON_TYPE.test(type)) return { kind: 'unsupported_type' };
	return parseJson(text);
}
