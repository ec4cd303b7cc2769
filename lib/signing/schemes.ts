import type { DigestEncoding } from './encoding';

export type HmacAlgorithm = 'sha256' | 'sha512' | 'sha1';

export interface CustomHmacScheme {
	kind: 'customHmac';
	/** Header carrying the signature, e.g. `x-signature`. */
	signatureHeader: string;
	algorithm: HmacAlgorithm;
	encoding: DigestEncoding;
	/** Text before the digest, e.g. `sha256=`. */
	prefix?: string;
	/** When set, the signed content is `<timestamp>.<body>` and the timestamp is checked against the tolerance. */
	timestampHeader?: string;
	/** Header carrying the event id, if the sender sends one. */
	idHeader?: string;
}

export type SignatureScheme =
	| { kind: 'standardWebhooks' }
	| { kind: 'github' }
	| { kind: 'stripe' }
	| CustomHmacScheme;

export type SchemeKind = SignatureScheme['kind'];

export const DEFAULT_TOLERANCE_SECONDS = 300;

export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

export const HEADERS = {
	standardId: 'webhook-id',
	standardTimestamp: 'webhook-timestamp',
	standardSignature: 'webhook-signature',
	githubSignature: 'x-hub-signature-256',
	githubDelivery: 'x-github-delivery',
	stripeSignature: 'stripe-signature',
} as const;

/** Header names (lower case) that carry signature material for a scheme; useful to strip them from output. */
export function signatureHeaderNames(scheme: SignatureScheme): string[] {
	switch (scheme.kind) {
		case 'standardWebhooks':
			return [HEADERS.standardSignature];
		case 'github':
			return [HEADERS.githubSignature, 'x-hub-signature'];
		case 'stripe':
			return [HEADERS.stripeSignature];
		case 'customHmac':
			return [scheme.signatureHeader.toLowerCase()];
	}
}
