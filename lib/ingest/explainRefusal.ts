import type { HttpAnswer } from '../http/answers';
import { diagnoseSignatureFailure, type SignatureFinding } from '../signing/diagnose';
import { signsUrl } from '../signing/profile';
import {
	profileOf,
	schemeHeaders,
	schemeSecretEncoding,
	schemeLabel,
	SENDER_PROFILES,
	type SignatureScheme,
} from '../signing/schemes';
import { isVerificationFailure } from '../signing/signedMessage';

import type { IngestConfig, IngestRequest } from './handleIngest';

/** What the editor shows about a request that started no run: a one-line summary and the details. */
export interface RefusalExplanation {
	message: string;
	description: string;
}

export interface RefusalFacts {
	/** The stable code: the answer's `error`, or `duplicate` / `ignored`. */
	reason: string;
	answer: HttpAnswer;
	/** The scheme the node verifies with, or null when verification is off. */
	scheme: SignatureScheme | null;
	/** What the signature diagnosis found; undefined when it did not apply. */
	findings?: SignatureFinding[];
	/** For `misconfigured`: what is wrong with the node's settings. */
	problem?: string;
	/** For `misconfigured`: how to correct them, when the node can tell. */
	fix?: string;
}

function headerList(scheme: SignatureScheme | null): string {
	return scheme ? schemeHeaders(scheme).join(', ') : 'the signature headers';
}

const isPublicKey = (scheme: SignatureScheme | null) =>
	scheme !== null && profileOf(scheme).kind === 'publicKey';

/** What the sender signs with: the shared secret, or its own private key. */
const signingKey = (scheme: SignatureScheme | null) =>
	isPublicKey(scheme) ? 'its private key' : "the credential's secret";

/** The most likely fix for each reason code, before anything the request itself reveals. */
function fixFor({ reason, scheme, fix }: RefusalFacts): string {
	const label = scheme ? schemeLabel(scheme) : 'the scheme your sender uses';
	switch (reason) {
		case 'missing_signature':
			return `Make the sender sign each request with ${signingKey(scheme)} and send ${headerList(scheme)} (${label}), or set Verification to the scheme your sender uses.`;
		case 'malformed_signature':
			return `Make the sender write ${headerList(scheme)} exactly as ${label} defines them, or set Verification to the scheme your sender uses.`;
		case 'missing_timestamp':
			return 'Send the current Unix time in whole seconds, and sign it together with the body.';
		case 'timestamp_out_of_tolerance':
			return 'Sign each request with the current time and keep both clocks in sync (NTP); if the sender queues requests, raise Options › Timestamp Tolerance.';
		case 'signature_mismatch':
			return isPublicKey(scheme)
				? `Paste into the credential the public key ${label} shows for this endpoint (${secretRule(scheme)}); nothing on the way may change the bytes it sends. A sender testing the endpoint with a deliberately wrong signature is answered this way on purpose.`
				: `Give the sender exactly the credential's secret (${secretRule(scheme)}) and make it sign the exact bytes it sends, as ${label} defines.${signedUrlFix(scheme)}`;
		case 'invalid_json':
			return 'Send the event as a JSON body with Content-Type: application/json.';
		case 'unreadable_body':
			return 'Send the event as a JSON body with Content-Type: application/json.';
		case 'payload_too_large':
			return 'Send smaller events, or raise Options › Max Body Size.';
		case 'invalid_event':
			return 'Send a JSON object (or an array of them) with an event type (event, type or event_type, the field set in Options › Event Type Field, or the header set in Options › Event Type Header); with Require Flow Session Events on, send every field named.';
		case 'ip_not_allowed':
			return "Add the sender's address to Security › IP Allowlist (the refusal's line in n8n's log names it as client); behind a proxy, set N8N_PROXY_HOPS.";
		case 'rate_limited':
			return 'Wait the seconds the Retry-After header gives, or raise Security › Rate Limit.';
		case 'delivery_in_progress':
			return 'Send an event with a new id to try again.';
		case 'duplicate':
			return 'Send an event with a new id: a sender retrying a delivery is answered this way on purpose.';
		case 'ignored':
			return 'Add its type to Event Types or Other Event Types, or leave both empty to accept every event.';
		case 'verify_token_mismatch':
			return "Type the same Verify Token in the sender's dashboard and in the node's Verify Token field.";
		case 'misconfigured':
			return fix ?? "Correct the node's settings or its credential.";
		default:
			return 'Correct the request as the answer says.';
	}
}

/** For a sender that signs the URL it calls: the usual cause, a Public URL other than that URL. */
function signedUrlFix(scheme: SignatureScheme | null): string {
	return scheme && signsUrl(profileOf(scheme))
		? " It also signs the URL it calls: set Public URL to that URL exactly as the sender's dashboard shows it (https or http, host, port, path and query string)."
		: '';
}

const SECRET_RULES = {
	text: 'used as text, exactly as pasted',
	base64: 'base64-decoded, after an optional "whsec_"',
	hex: 'hex-decoded',
	whsecOrText:
		'a "whsec_…" secret is base64-decoded after the prefix, any other is used as plain text',
	ed25519Hex: 'the public key, 64 hexadecimal characters',
	spkiBase64: 'the public key, base64 as the sender shows it',
};

/** How the node reads the credential's secret under `scheme`. */
function secretRule(scheme: SignatureScheme | null): string {
	return SECRET_RULES[scheme ? schemeSecretEncoding(scheme) : 'whsecOrText'];
}

/** Whether the user picks how the secret is read: Custom HMAC, from a preset or not, has the field. */
const hasSecretEncoding = (scheme: SignatureScheme | null) =>
	scheme?.kind === 'customHmac' || scheme?.kind === 'customHmacFromPreset';

/** What to change when the sender reads the secret as text while the node decodes it. */
function readAsTextFix(scheme: SignatureScheme | null): string {
	if (hasSecretEncoding(scheme)) return 'Set Secret Encoding to Text.';
	if (scheme?.kind === 'standardWebhooks')
		return 'If the sender is Stripe, set Verification to Stripe Style. Otherwise use a Standard Webhooks library in the sender, or give both sides a new secret without the "whsec_" prefix: both then use it as plain text.';
	return 'This node version base64-decodes every "whsec_" secret: add a new Flow Webhook Trigger (version 2 or later), which reads the secret as the sender does.';
}

/** What to change when the sender base64-decodes the secret while the node uses it as text. */
function decodedFix(scheme: SignatureScheme | null): string {
	if (hasSecretEncoding(scheme)) return 'Set Secret Encoding to Base64.';
	if (scheme?.kind === 'standardWebhooks')
		return 'Put "whsec_" in front of it in the credential: the node then decodes it the same way.';
	return 'If the sender is a Standard Webhooks or Svix sender, set Verification to Standard Webhooks.';
}

function describeFinding(finding: SignatureFinding, scheme: SignatureScheme | null): string {
	const which = (previous: boolean) => (previous ? "credential's Previous Secret" : 'secret');
	switch (finding.kind) {
		case 'other_scheme': {
			const label = SENDER_PROFILES[finding.scheme].label;
			const checks = finding.verifies ? ', and that signature matches your secret' : '';
			return `The request carries ${finding.header}, a ${label} signature${checks}, while the node expects ${scheme ? schemeLabel(scheme) : 'another scheme'}: set Verification to ${label}.`;
		}
		case 'secret_used_as_text':
			return finding.withPrefix
				? `The sender uses the whole ${which(finding.previous)}, "whsec_" included, as plain text, while the node base64-decodes what follows "whsec_". ${readAsTextFix(scheme)}`
				: `The sender uses the ${which(finding.previous)} (without "whsec_") as plain text instead of base64-decoding it. Put that part, without "whsec_", in the credential${hasSecretEncoding(scheme) ? ' and set Secret Encoding to Text' : ''}, or make the sender base64-decode it.`;
		case 'secret_base64_decoded':
			return `The sender base64-decodes the ${which(finding.previous)} (Standard Webhooks and Svix libraries do, even without a "whsec_" prefix), while the node uses it as plain text. ${decodedFix(scheme)}`;
		case 'previous_secret':
			return "The request is signed with the credential's Previous Secret: the sender has not switched to the new secret yet, or the two secrets are swapped in the credential. It stops being accepted once the Previous Secret is cleared.";
		case 'timestamp_in_milliseconds':
			return 'The timestamp has 13 digits: it is in milliseconds, and the node expects Unix time in seconds. Send Math.floor(Date.now() / 1000) (Python: int(time.time())).';
		case 'clock_skew': {
			const direction = finding.seconds > 0 ? 'ahead of' : 'behind';
			const valid = finding.signatureValid ? ' The signature itself is valid.' : '';
			const likely =
				Math.abs(finding.seconds) > 3600
					? ' That much usually means an old request sent again or a fixed timestamp: sign each request with the current time.'
					: '';
			return `The sender's timestamp is ${Math.abs(finding.seconds)} seconds ${direction} n8n's clock; the tolerance is ${finding.toleranceSeconds} seconds.${valid}${likely}`;
		}
		case 'body_reserialised':
			return `The signature matches this body written as ${finding.signedAs}: the sender signed the JSON in another form than the bytes it sent, or something on the way re-encoded it. Sign the exact bytes that are sent.`;
	}
}

function findingsText(facts: RefusalFacts): string[] {
	if (facts.findings === undefined || !isVerificationFailure(facts.reason)) return [];
	if (facts.findings.length === 0)
		return ['No likely cause could be told from this request alone.'];
	return facts.findings.map((finding) => `Found: ${describeFinding(finding, facts.scheme)}`);
}

function answerMessage(answer: HttpAnswer): string | undefined {
	const message = (answer.body as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' ? message : undefined;
}

function meaningOf(facts: RefusalFacts): string {
	switch (facts.reason) {
		case 'duplicate':
			return 'An event with this id was already accepted; this delivery was not run again.';
		case 'ignored':
			return "The event's type is not one this trigger accepts; it was not run.";
		case 'misconfigured':
			return `The node's settings are unusable: ${facts.problem ?? 'see n8n’s log'}`;
		default: {
			const fields = (facts.answer.body as { fields?: unknown } | undefined)?.fields;
			const named =
				Array.isArray(fields) && fields.length > 0 ? ` Fields: ${fields.join(', ')}.` : '';
			return `${answerMessage(facts.answer) ?? 'The request was refused.'}${named}`;
		}
	}
}

/**
 * Explains to the workflow's builder a request that started no run: the sender's answer, what it
 * means, what the request itself reveals, and the most likely fix. Built from codes, the node's
 * settings and diagnosis findings only, never from secrets or signatures.
 */
export function explainRefusal(facts: RefusalFacts): RefusalExplanation {
	const verb = facts.answer.status >= 400 ? 'Refused' : 'Not run';
	return {
		message: `${verb}: the sender was answered ${facts.answer.status} ${facts.reason}`,
		description: [meaningOf(facts), ...findingsText(facts), `Fix: ${fixFor(facts)}`].join('\n'),
	};
}

/**
 * Diagnoses a signature failure of `request` under `config` (see diagnoseSignatureFailure);
 * undefined when the refusal is not about the signature or verification is off.
 */
export function signatureFindings(
	request: IngestRequest,
	config: IngestConfig,
	now: number,
	reason: string,
): SignatureFinding[] | undefined {
	if (!config.verification || !isVerificationFailure(reason)) return undefined;
	const { scheme, secrets, toleranceSeconds } = config.verification;
	return diagnoseSignatureFailure({
		scheme,
		secrets,
		toleranceSeconds,
		headers: request.headers,
		body: request.rawBody,
		now,
		failure: reason,
		url: request.url,
		method: request.method,
	});
}
