import type { HeaderBag } from '../http/headers';
import { hmacDigest, matchesAny } from './hmac';
import { signsUrl } from './profile';
import { signedByAny } from './publicKey';
import { DEFAULT_TOLERANCE_SECONDS, profileOf, type SignatureScheme } from './schemes';
import { hmacKey } from './secrets';
import { parseSignedMessage, signedContents, type VerificationFailure } from './signedMessage';
import { checkToken } from './token';

export interface VerifyOptions {
	scheme: SignatureScheme;
	headers: HeaderBag;
	/** The exact bytes received; never a re-serialised body. */
	body: Buffer | string;
	/**
	 * Current secret first, then previous ones still accepted during a rotation; for a public-key
	 * scheme, the sender's public keys in the same order.
	 */
	secrets: string[];
	/** Unix seconds; defaults to the clock. */
	now?: number;
	toleranceSeconds?: number;
	/** The URL the sender called, for a scheme that signs it (`signsUrl`). */
	url?: string;
	/** The request's HTTP method, for a scheme that signs it. */
	method?: string;
}

export type VerificationResult =
	/** `nonce`: the signed value the profile's `nonceFields` name, for the receiver to remember. */
	| { ok: true; id?: string; timestamp?: number; nonce?: string }
	| { ok: false; reason: VerificationFailure; message: string };

/**
 * Checks a request's signature. Never throws on request input: every problem with it
 * comes back as a reason. Only a misconfigured secret (not request input) throws.
 */
export function verifyWebhook(options: VerifyOptions): VerificationResult {
	const profile = profileOf(options.scheme);
	if (profile.kind === 'token') return checkToken(profile, options.headers, options.secrets);
	const { url, method, body } = options;
	const parsed = parseSignedMessage(profile, options.headers, { url, method, body });
	if (!parsed.ok) return { ok: false, reason: parsed.reason, message: parsed.message };
	const { message } = parsed;
	if (message.timestamp !== undefined) {
		const now = options.now ?? Math.floor(Date.now() / 1000);
		const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
		if (Math.abs(now - message.timestamp) > tolerance) {
			return {
				ok: false,
				reason: 'timestamp_out_of_tolerance',
				message: `The signature timestamp is more than ${tolerance} seconds away from the receiver's clock.`,
			};
		}
	}
	const contents = signedContents(message);
	// A public-key profile's "secrets" are the sender's public keys, current first.
	const verified =
		profile.kind === 'publicKey'
			? contents.some((content) =>
					signedByAny(profile, options.secrets, content, body, message.candidates),
				)
			: options.secrets.some((secret) => {
					const key = hmacKey(secret, profile.secretEncoding);
					return contents.some((content) =>
						matchesAny(hmacDigest(profile.algorithm, key, content, body), message.candidates),
					);
				});
	if (!verified) {
		return {
			ok: false,
			reason: 'signature_mismatch',
			message: signsUrl(profile)
				? 'The signature does not match the request: its URL (the Public URL), method or body.'
				: 'The signature does not match the request body.',
		};
	}
	return { ok: true, id: message.id, timestamp: message.timestamp, nonce: message.nonce };
}
