import type { DigestEncoding } from './encoding';
import type { SecretEncoding } from './secrets';

export type HmacAlgorithm = 'sha256' | 'sha512' | 'sha1';

/** How a signature header lists its signatures. */
export type SignatureFormat =
	/**
	 * Entries split at `separator`, each `<prefix><digest>`; a digest may also follow its prefix
	 * after a space ("HMAC <digest>"). `none` reads the whole value as one entry.
	 */
	| { kind: 'entries'; separator: 'space' | 'spaceOrComma' | 'none'; prefix: string }
	/** `key=value` pairs split at `separator`, as Stripe writes `t=<time>,v1=<digest>`. */
	| { kind: 'pairs'; separator: string; timestampKey: string; signatureKey: string };

/** What every sender profile says besides how requests are verified. */
interface ProfileBase {
	/** How the editor names it, e.g. "Stripe Style". */
	label: string;
	/** Where the sender shows the secret, for the editor (HTML). */
	secretHint?: string;
	/** Headers holding the delivery's id (signed as `{id}` or not). */
	idHeaders?: string[];
	/** Headers holding the event type, for senders that name it outside the body. */
	typeHeaders?: string[];
}

/**
 * Everything a sender fixes about its HMAC-signed requests, as data that one engine reads
 * (`signedMessage.ts` to verify, `sign.ts` to sign). Header names are written as the sender
 * documents them; the first of a list is the one sent, the others are aliases read on receipt.
 */
export interface HmacProfile extends ProfileBase {
	kind: 'hmac';
	/** How the sender's own library turns the secret it hands out into the key. */
	secretEncoding: SecretEncoding;
	algorithm: HmacAlgorithm;
	signature: { headers: string[]; encoding: DigestEncoding; format: SignatureFormat };
	/** Other headers with signatures the trigger does not read; kept out of items like the read ones. */
	otherSignatureHeaders?: string[];
	/** Headers holding the `{timestamp}` (Unix seconds), unless the signature's pairs carry it. */
	timestampHeaders?: string[];
	/** What is signed: `{body}` (the exact bytes received), `{timestamp}`, `{id}` and literal text. */
	signedContent: string;
}

/** A sender that signs nothing and sends the shared secret itself in `header` (a bearer token in Authorization). */
export interface TokenProfile extends ProfileBase {
	kind: 'token';
	header: string;
}

/** Signature algorithms of public-key profiles, as node:crypto verifies them. */
export type PublicKeyAlgorithm = 'ed25519' | 'ecdsaP256Sha256';

/**
 * How a sender shows its public key: `ed25519Hex` the raw 32-byte key in hex (Discord),
 * `spkiBase64` a DER SubjectPublicKeyInfo in base64, without PEM lines (SendGrid).
 */
export type PublicKeyFormat = 'ed25519Hex' | 'spkiBase64';

/**
 * A sender that signs with its private key: the credential's field holds the public key it shows.
 * The signature is read and the content templated as in an HMAC profile; nothing can be signed
 * with it here, so Notify never offers one.
 */
export interface PublicKeyProfile extends ProfileBase {
	kind: 'publicKey';
	algorithm: PublicKeyAlgorithm;
	keyFormat: PublicKeyFormat;
	signature: { headers: string[]; encoding: DigestEncoding; format: SignatureFormat };
	/** Headers holding the `{timestamp}` (Unix seconds), unless the signature's pairs carry it. */
	timestampHeaders?: string[];
	/** What is signed, as in `HmacProfile`. */
	signedContent: string;
}

export type SenderProfile = HmacProfile | TokenProfile | PublicKeyProfile;

/** The profiles whose requests carry a signature over a signed content. */
export type SignatureProfile = HmacProfile | PublicKeyProfile;

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** How long a signature is; undefined where it varies (an ECDSA signature in DER). */
const SIGNATURE_BYTES: Record<PublicKeyAlgorithm, number | undefined> = {
	ed25519: 64,
	ecdsaP256Sha256: undefined,
};

/** How many bytes a well-formed signature of the profile has, when that is fixed. */
export function signatureBytes(profile: SignatureProfile): number | undefined {
	return profile.kind === 'hmac'
		? DIGEST_BYTES[profile.algorithm]
		: SIGNATURE_BYTES[profile.algorithm];
}

/** The signed content around the body, with the timestamp and id filled in. */
export interface SignedContent {
	before: string;
	after: string;
}

export function signedContent(
	template: string,
	values: { timestamp?: number; id?: string },
): SignedContent {
	const fill = (text: string) =>
		text
			.replaceAll('{timestamp}', String(values.timestamp ?? ''))
			.replaceAll('{id}', values.id ?? '');
	const [before, after = ''] = template.split('{body}');
	return { before: fill(before), after: fill(after) };
}

export const signsTimestamp = (profile: SignatureProfile) =>
	profile.signedContent.includes('{timestamp}');

export const signsId = (profile: SignatureProfile) => profile.signedContent.includes('{id}');
