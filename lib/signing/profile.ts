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
	/**
	 * How far (seconds) the signed timestamp may be from the clock when the user sets no tolerance,
	 * for a sender whose library enforces its own window; the common default otherwise.
	 */
	toleranceSeconds?: number;
}

/** A sender that signs nothing and sends the shared secret itself in `header` (a bearer token in Authorization). */
export interface TokenProfile extends ProfileBase {
	kind: 'token';
	header: string;
}

export type SenderProfile = HmacProfile | TokenProfile;

export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

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

export const signsTimestamp = (profile: HmacProfile) =>
	profile.signedContent.includes('{timestamp}');

export const signsId = (profile: HmacProfile) => profile.signedContent.includes('{id}');
