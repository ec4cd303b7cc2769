import type { DigestEncoding } from './encoding';
import type { SecretEncoding } from './secrets';

export type HmacAlgorithm = 'sha256' | 'sha512' | 'sha1';

/** How a sender writes its timestamp: Unix time, or an RFC 3339 date-time (Twitch, Box) signed as the text sent. */
export type TimestampUnit = 'seconds' | 'milliseconds' | 'rfc3339';

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
	/**
	 * Headers naming the request rather than the event, kept when the sender retries it (Twilio's
	 * I-Twilio-Idempotency-Token): the id while the user names no Event ID Field, which then wins.
	 */
	requestIdHeaders?: string[];
	/** Headers holding the event type, for senders that name it outside the body. */
	typeHeaders?: string[];
	/** Body fields (dotted paths) holding the event type, tried in order while Event Type Field is auto. */
	typeFields?: string[];
	/** The body field (dotted path) holding the event id while the user names none. */
	idField?: string;
	/**
	 * Body fields (dotted paths) tried in order for the event id while the user names none, for a
	 * sender whose kinds of request keep it in different places; in place of `idField`.
	 */
	idFields?: string[];
	/**
	 * A form field whose value is the event as JSON text (Slack's interactivity `payload`): a form
	 * body carrying it becomes that JSON, parsed, as the sender's own library reads it.
	 */
	jsonFormField?: string;
	/** How the sender checks the endpoint before (or while) it sends events; answered without a run. */
	handshake?: Handshake;
	/** An unsigned request the sender makes to check the endpoint is reachable; answered without a run. */
	reachabilityCheck?: ReachabilityCheck;
}

/**
 * A form POST a sender makes, unsigned, to check that the endpoint answers (Slack's `ssl_check=1`
 * to slash-command URLs): a form body whose `field` is `equals` is answered 200 with no body before
 * any verification, and nothing else happens, so that it cannot stand in for a signed event.
 */
export interface ReachabilityCheck {
	field: string;
	equals: string;
}

/**
 * A request a sender makes to check the endpoint rather than to deliver an event, as data that
 * one piece of code reads (`lib/ingest/handshake.ts`): the trigger answers it as the sender
 * requires and never starts a run for it.
 */
export type Handshake =
	/**
	 * A request verified like any other (so a forged one is refused first) whose JSON body holds
	 * `equals` in `field` (or whose header `field` does): answered 200 with the JSON `reply`, or
	 * its one value as text.
	 */
	| {
			kind: 'signedBody';
			field: string;
			equals: string | number;
			reply: Record<string, HandshakeValue>;
			/** `header`: `field` is a request header rather than a body field (Twitch names its messages in one). */
			fieldIn?: 'body' | 'header';
			/** `text`: the reply's one value alone, as text/plain (Twitch wants the bare challenge), not JSON. */
			replyAs?: 'json' | 'text';
	  }
	/**
	 * A GET whose query names the mode in `mode.parameter`, a token in `tokenParameter` and a
	 * challenge in `challengeParameter`: answered 200 with the challenge as text when the mode is
	 * `mode.equals` and the token is the Verify Token the user typed into the sender's dashboard
	 * and the node, 403 otherwise. Nothing is signed.
	 */
	| {
			kind: 'verifyToken';
			mode: { parameter: string; equals: string };
			tokenParameter: string;
			challengeParameter: string;
	  };

/**
 * A value in a handshake's JSON reply: a constant; the value of a field of the request's body
 * (a dotted path reaches into objects); or the HMAC of such a field's text, keyed and hashed as
 * the profile signs and written in `encoding` (Zoom's `encryptedToken`).
 */
export type HandshakeValue =
	| { literal: string | number }
	| { fromField: string }
	| { hmacOfField: string; encoding: DigestEncoding };

/**
 * How a signing sender's requests carry their signature and what it covers, as data that one
 * engine reads (`signedMessage.ts` to verify, `sign.ts` to sign). Header names are written as the
 * sender documents them; the first of a list is the one sent, the others are aliases read on receipt.
 */
interface SignedRequestProfile extends ProfileBase {
	/**
	 * `fields`: body fields (dotted paths into a JSON or form body) read when none of `headers` is
	 * sent, for a sender that posts its signature inside the body it does not sign (Mailgun).
	 */
	signature: {
		headers: string[];
		fields?: string[];
		encoding: DigestEncoding;
		format: SignatureFormat;
		/**
		 * Each of `headers` carries its own signature, one per key the sender holds (Box's primary and
		 * secondary): all those sent are read, rather than the first as an alias.
		 */
		oneHeaderPerKey?: true;
	};
	/** Headers holding the `{timestamp}`, unless the signature's pairs carry it. */
	timestampHeaders?: string[];
	/**
	 * Body fields (dotted paths, in a JSON or form body) holding the `{timestamp}`, read when none of
	 * its headers is sent. The timestamp is checked against the tolerance even when the template
	 * names no `{timestamp}`: a signed `{body}` covers it (Linear's `webhookTimestamp`).
	 */
	timestampFields?: string[];
	/**
	 * Body fields (dotted paths) holding the `{nonce}`: a value the sender signs with the timestamp
	 * and never sends twice (Mailgun's token). A request repeating a nonce seen within the timestamp
	 * tolerance is a replay, dropped as a duplicate even when the rest of the body differs.
	 */
	nonceFields?: string[];
	/** The unit of the `{timestamp}` as sent; Unix seconds when absent. */
	timestampUnit?: TimestampUnit;
	/**
	 * What is signed: `{body}` (the exact bytes received), `{timestamp}`, `{id}`, `{nonce}`, `{url}` (the
	 * URL the sender called, as configured in its dashboard), `{method}`, `{formParams}` (the form fields
	 * sorted by name, each name followed by its value) and literal text. Without `{body}` the body itself is
	 * not signed.
	 */
	signedContent: string;
	/**
	 * The query parameter a sender adds to the signed `{url}` when the body is not a form: the hex
	 * SHA-256 of the body (Twilio's `bodySHA256`), so that the signature covers the body through it.
	 */
	bodyHashParameter?: string;
	/** The sender may sign `{url}` with or without its scheme's default port (:443, :80): both are accepted. */
	urlDefaultPortOptional?: boolean;
	/**
	 * How far (seconds) the signed timestamp may be from the clock when the user sets no tolerance,
	 * for a sender whose library enforces its own window; the common default otherwise.
	 */
	toleranceSeconds?: number;
}

/** A sender that signs with an HMAC keyed by the secret it hands out. */
export interface HmacProfile extends SignedRequestProfile {
	kind: 'hmac';
	/** How the sender's own library turns the secret it hands out into the key. */
	secretEncoding: SecretEncoding;
	algorithm: HmacAlgorithm;
	/** Other headers with signatures the trigger does not read; kept out of items like the read ones. */
	otherSignatureHeaders?: string[];
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
 * Nothing can be signed with it here, so Notify never offers one.
 */
export interface PublicKeyProfile extends SignedRequestProfile {
	kind: 'publicKey';
	algorithm: PublicKeyAlgorithm;
	keyFormat: PublicKeyFormat;
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
	/** The template has no `{body}`: only `before` is signed. */
	withoutBody?: true;
}

/** What fills a template's placeholders other than `{body}`; the timestamp as sent. */
export interface SignedValues {
	timestamp?: number | string;
	id?: string;
	nonce?: string;
	url?: string;
	method?: string;
	formParams?: string;
}

export function signedContent(template: string, values: SignedValues): SignedContent {
	// One pass, so that a value containing "{id}" (a URL, a form field) is never filled in again.
	const fill = (text: string) =>
		text.replace(/\{(timestamp|id|nonce|url|method|formParams)\}/g, (_, name: keyof SignedValues) =>
			String(values[name] ?? ''),
		);
	if (!template.includes('{body}')) return { before: fill(template), after: '', withoutBody: true };
	const [before, after = ''] = template.split('{body}');
	return { before: fill(before), after: fill(after) };
}

export const signsTimestamp = (profile: SignatureProfile) =>
	profile.signedContent.includes('{timestamp}');

/** Whether a request's timestamp is read and held to the tolerance: signed, or in the signed body. */
export const checksTimestamp = (profile: SignatureProfile) =>
	signsTimestamp(profile) || profile.timestampFields !== undefined;

export const signsId = (profile: SignatureProfile) => profile.signedContent.includes('{id}');

export const signsNonce = (profile: SignatureProfile) => profile.signedContent.includes('{nonce}');

/** Whether the profile signs the URL the sender called, which the receiver must then be told. */
export const signsUrl = (profile: SenderProfile) =>
	profile.kind !== 'token' && profile.signedContent.includes('{url}');
