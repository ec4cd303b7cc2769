import { createHash } from 'node:crypto';

import { isFormType } from '../http/body';
import { readHeader, type HeaderBag } from '../http/headers';
import type { SignatureProfile, SignedValues } from './profile';

/** What a sender may sign about the request besides its headers and body. */
export interface SignedRequest {
	/** The URL the sender called, exactly as configured in its dashboard (query string included). */
	url?: string;
	/** The HTTP method, e.g. `POST`. */
	method?: string;
	/** The exact bytes received. */
	body?: Buffer | string;
}

const isForm = (headers: HeaderBag) => isFormType(readHeader(headers, 'content-type'));

/**
 * A form's fields as one text: sorted by name, each name followed by its value; the values of a
 * name sent more than once are sorted too, and a repeated value counts once (as Twilio signs them).
 */
export function sortedFormParams(body: Buffer | string): string {
	const fields = new Map<string, Set<string>>();
	for (const [name, value] of new URLSearchParams(body.toString())) {
		fields.set(name, (fields.get(name) ?? new Set()).add(value));
	}
	return [...fields.keys()]
		.sort()
		.map((name) =>
			[...(fields.get(name) ?? [])]
				.sort()
				.map((value) => name + value)
				.join(''),
		)
		.join('');
}

/**
 * `url` with `parameter` set to the hex SHA-256 of `body`, appended last; a value the URL already
 * carries (the received URL of such a request) is dropped first, so the signature checks the body's
 * own hash rather than the one sent.
 */
export function withBodyHash(url: string, parameter: string, body: Buffer | string): string {
	const hash = createHash('sha256').update(body).digest('hex');
	const escaped = parameter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const bare = url.replace(new RegExp(`([?&])${escaped}=[^&#]*(&|$)`), (_, lead, tail) =>
		tail ? lead : '',
	);
	return `${bare}${bare.includes('?') ? '&' : '?'}${parameter}=${hash}`;
}

const DEFAULT_PORTS: Record<string, string> = { http: ':80', https: ':443' };

/** Scheme, authority up to the host, the port (with its colon) and the rest, without normalising. */
const URL_PARTS = /^(https?):\/\/((?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*))(:\d*)?(.*)$/is;

/**
 * The same URL written the other way about its default port: `https://host/p` and
 * `https://host:443/p`; undefined when it names another port or is no http(s) URL.
 */
export function withDefaultPortToggled(url: string): string | undefined {
	const parts = URL_PARTS.exec(url);
	if (!parts) return undefined;
	const [, scheme, authority, port, rest] = parts;
	const standard = DEFAULT_PORTS[scheme.toLowerCase()];
	if (port === undefined) return `${scheme}://${authority}${standard}${rest}`;
	return port === standard ? `${scheme}://${authority}${rest}` : undefined;
}

/** The `{url}`, `{method}` and `{formParams}` of a request under a profile. */
export function requestValues(
	profile: SignatureProfile,
	headers: HeaderBag,
	request: SignedRequest,
): Pick<SignedValues, 'url' | 'method' | 'formParams'> {
	const body = request.body ?? '';
	const form = isForm(headers);
	const url =
		request.url !== undefined && profile.bodyHashParameter && !form
			? withBodyHash(request.url, profile.bodyHashParameter, body)
			: request.url;
	return {
		url,
		method: request.method?.toUpperCase(),
		formParams:
			form && profile.signedContent.includes('{formParams}') ? sortedFormParams(body) : '',
	};
}
