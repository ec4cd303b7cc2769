import { hmacDigest } from './hmac';
import { signedContent, signsTimestamp, type HmacProfile } from './profile';
import { profileOf, type SignableScheme } from './schemes';
import { hmacKey } from './secrets';
import { tokenHeaderValue } from './token';

export interface SignOptions {
	/** Never a public-key sender's scheme: only that sender holds its private key. */
	scheme: SignableScheme;
	secret: string;
	/** The exact bytes that will be sent. */
	body: Buffer | string;
	/** Event id; sent in the scheme's id header where it has one. */
	id: string;
	/** Unix seconds. */
	timestamp: number;
}

function signatureValue(profile: HmacProfile, digest: string, timestamp: number): string {
	const { format } = profile.signature;
	return format.kind === 'pairs'
		? `${format.timestampKey}=${timestamp}${format.separator}${format.signatureKey}=${digest}`
		: `${format.prefix}${digest}`;
}

/** Returns the headers that sign `body` under the scheme, named and written as its sender does. */
export function signWebhook(options: SignOptions): Record<string, string> {
	const { scheme, body, id, timestamp } = options;
	const profile = profileOf(scheme);
	if (profile.kind === 'token') {
		return { [profile.header]: tokenHeaderValue(profile, options.secret) };
	}
	const { signature, timestampHeaders, idHeaders } = profile;
	const key = hmacKey(options.secret, profile.secretEncoding);
	const content = signedContent(profile.signedContent, { timestamp, id });
	const digest = hmacDigest(profile.algorithm, key, content, body).toString(signature.encoding);
	const headers: Record<string, string> = {};
	if (idHeaders) headers[idHeaders[0]] = id;
	if (signsTimestamp(profile) && timestampHeaders) {
		headers[timestampHeaders[0]] = String(timestamp);
	}
	headers[signature.headers[0]] = signatureValue(profile, digest, timestamp);
	return headers;
}
