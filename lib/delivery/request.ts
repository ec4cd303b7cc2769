import { signWebhook } from '../signing/sign';
import type { SignableScheme } from '../signing/schemes';

import type { Destination } from './destinations';

// Kept by hand because the published package ships no package.json next to the code;
// a unit test fails when it falls behind package.json.
const PACKAGE_VERSION = '0.1.0';
export const USER_AGENT = `n8n-nodes-flow-webhooks/${PACKAGE_VERSION}`;

/** The scheme and secret outgoing events are signed with; null sends them unsigned. */
export type Signing = { scheme: SignableScheme; secret: string } | null;

/** One attempt's request, signed at the moment it is sent. */
export interface SignedRequest {
	url: string;
	headers: Record<string, string>;
	body: string;
}

/**
 * Lower-case names of the headers Notify sets itself for a signing setup. The signing headers are
 * read from an actual signature over a probe, so this list cannot drift from what signWebhook sets.
 */
export function reservedHeaderNames(signing: Signing): string[] {
	const signingHeaders = signing
		? Object.keys(
				signWebhook({
					scheme: signing.scheme,
					secret: 'probe',
					body: '',
					id: 'probe',
					timestamp: 0,
				}),
			)
		: [];
	return ['content-type', 'user-agent', ...signingHeaders].map((name) => name.toLowerCase());
}

/**
 * The request for one attempt. The body is the already-serialised event, never re-serialised;
 * the signature is computed per attempt so its timestamp is fresh even after long retries
 * (receivers reject old timestamps as replays), while the event id stays the same.
 */
export function signedRequest(
	destination: Destination,
	event: { id: string; body: string },
	signing: Signing,
	nowSeconds: number,
): SignedRequest {
	const signatureHeaders = signing
		? signWebhook({
				scheme: signing.scheme,
				secret: signing.secret,
				body: event.body,
				id: event.id,
				timestamp: nowSeconds,
			})
		: {};
	return {
		url: destination.url,
		headers: {
			...destination.headers,
			'content-type': 'application/json',
			'user-agent': USER_AGENT,
			...signatureHeaders,
		},
		body: event.body,
	};
}
