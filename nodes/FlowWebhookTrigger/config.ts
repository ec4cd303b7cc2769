import type { IWebhookFunctions } from 'n8n-workflow';

import { parsePatternList } from '../../lib/events/patterns';
import type { IngestConfig } from '../../lib/ingest/handleIngest';
import { webhookCredentials } from '../../lib/n8n/credentialCache';
import { misconfigurationError } from '../../lib/n8n/respond';
import { START_FROM_PARAMETER } from '../../lib/n8n/schemeProperties';
import type { PublicKeyFormat } from '../../lib/signing/profile';
import { activeSecrets, type SecretEncoding } from '../../lib/signing/secrets';
import { schemeFromParameters, type SchemeParameters } from '../../lib/signing/fromParameters';
import { signsUrl } from '../../lib/signing/profile';
import {
	eventSources,
	profileOf,
	schemeSecretEncoding,
	schemeSecretProblem,
	schemeTolerance,
	type SignatureScheme,
} from '../../lib/signing/schemes';

import { TRIGGER_DEFAULTS, type TriggerOptions } from './defaults';
import { eventTypesWithOwnOutput } from './description/outputs';

/** What the trigger needs to answer a request, read from its parameters and credential. */
export interface TriggerSettings {
	/** How a request is checked and turned into an event (`handleIngest`). */
	ingest: IngestConfig;
	/** What an accepted event's item carries besides the event. */
	item: { includeHeaders: boolean; includeReceivedAt: boolean };
	/** Event types with their own output (an "other" output follows), or null for one output. */
	outputEventTypes: string[] | null;
	/**
	 * For a scheme that signs the URL: the Public URL the sender calls, or undefined to use the one
	 * the request was received on.
	 */
	publicUrl?: string;
	/**
	 * Where n8n's production webhooks are reached from this process (Options › Webhook Base URL),
	 * or undefined for n8n's own webhook URL: where the trigger saves its duplicate record.
	 */
	webhookBaseUrl?: string;
}

const CREDENTIAL_TYPE = 'webhookSigningSecretApi';
const CREDENTIAL_NAME = 'Webhook Signing Secret API';

type SecretField = 'Secret' | 'Previous Secret';

/** How to enter a secret the scheme reads with each encoding, or the public key it reads. */
const SECRET_FORMATS: Record<SecretEncoding | PublicKeyFormat, string> = {
	text: 'Paste the secret exactly as the sender shows it (for Stripe, the whole "whsec_…" value).',
	base64:
		'Paste the base64 secret the sender shows (a "whsec_" prefix may stay), or set Secret Encoding to how the sender writes it.',
	hex: 'Paste the hexadecimal secret the sender shows, or set Secret Encoding to how the sender writes it.',
	whsecOrText:
		'Either "whsec_" followed by base64 (echo "whsec_$(openssl rand -base64 32)" makes one), or any text without that prefix, used as it is. The sender must sign with the same value.',
	ed25519Hex:
		"Paste the sender's public key as it shows it: 64 hexadecimal characters (Discord: the app's Public Key).",
	spkiBase64:
		"Paste the sender's public key as it shows it: base64 text starting with MFkw (SendGrid: the webhook's Verification Key).",
};

function text(context: IWebhookFunctions, name: string, fallback = ''): string {
	return String(context.getNodeParameter(name, fallback) ?? '');
}

/** Names the credential field at fault and how to fix it; never the secret itself. */
function secretError(
	context: IWebhookFunctions,
	field: SecretField,
	problem: string,
	encoding: SecretEncoding | PublicKeyFormat,
) {
	return misconfigurationError(
		context,
		`The ${field} of the ${CREDENTIAL_NAME} credential is malformed: ${problem}`,
		`Open the credential and enter the ${field} again. ${SECRET_FORMATS[encoding]}`,
	);
}

async function readSecrets(context: IWebhookFunctions, scheme: SignatureScheme): Promise<string[]> {
	let credential: { secret: string; previousSecret?: string };
	try {
		credential = await webhookCredentials(context, CREDENTIAL_TYPE);
	} catch (error) {
		throw misconfigurationError(
			context,
			`The ${CREDENTIAL_NAME} credential could not be read: ${(error as Error).message}`,
			`Signed verification needs that credential: select one under "Credential to connect with" (or set Verification to None), and check that it still exists.`,
		);
	}
	const fields: Array<[SecretField, string | undefined]> = [
		['Secret', credential.secret],
		['Previous Secret', credential.previousSecret],
	];
	const encoding = schemeSecretEncoding(scheme);
	for (const [field, secret] of fields) {
		// A blank field is not in use: activeSecrets leaves it out.
		const problem = secret?.trim() ? schemeSecretProblem(scheme, secret) : undefined;
		if (problem) throw secretError(context, field, problem, encoding);
	}
	return activeSecrets(credential.secret, credential.previousSecret);
}

function readScheme(context: IWebhookFunctions): SignatureScheme | null {
	const scheme = text(context, 'verification', TRIGGER_DEFAULTS.verification);
	// Only the scheme that shows a field reads it: every read costs n8n a parameter resolution.
	const parameters: SchemeParameters = { scheme };
	if (scheme === 'customHmac') Object.assign(parameters, customHmacParameters(context));
	if (scheme === 'token') parameters.tokenHeader = text(context, 'tokenHeader');
	return schemeFromParameters(parameters, context.getNode().typeVersion);
}

function customHmacParameters(context: IWebhookFunctions): Omit<SchemeParameters, 'scheme'> {
	return {
		startFrom: text(context, START_FROM_PARAMETER),
		signatureHeader: text(context, 'signatureHeader'),
		algorithm: text(context, 'algorithm'),
		encoding: text(context, 'encoding'),
		prefix: text(context, 'prefix'),
		timestampHeader: text(context, 'timestampHeader'),
		idHeader: text(context, 'idHeader'),
		secretEncoding: text(context, 'secretEncoding'),
	};
}

/** `chosenTolerance` is the Timestamp Tolerance option, undefined when the user did not add it. */
async function readVerification(
	context: IWebhookFunctions,
	chosenTolerance: number | undefined,
): Promise<IngestConfig['verification']> {
	const scheme = readScheme(context);
	if (!scheme) return null;
	// Secrets are checked here, on configuration, rather than later on a request.
	const secrets = await readSecrets(context, scheme);
	return { scheme, secrets, toleranceSeconds: schemeTolerance(scheme, chosenTolerance) };
}

/** Why a Public URL cannot be the URL a sender signs, or undefined when it can. */
function publicUrlProblem(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `The Public URL "${url}" is not a URL.`;
	}
	return ['http:', 'https:'].includes(parsed.protocol)
		? undefined
		: `The Public URL "${url}" is not an http or https URL.`;
}

/** The Public URL, for a scheme that signs the URL and a user who set one; checked, not normalised. */
function readPublicUrl(
	context: IWebhookFunctions,
	scheme: SignatureScheme | null,
): string | undefined {
	if (!scheme || !signsUrl(profileOf(scheme))) return undefined;
	const url = text(context, 'publicUrl', TRIGGER_DEFAULTS.publicUrl).trim();
	if (url === '') return undefined;
	const problem = publicUrlProblem(url);
	if (problem) {
		throw misconfigurationError(
			context,
			problem,
			"Copy the URL exactly as the sender's dashboard shows it (for example https://n8n.example.com/webhook/orders), or leave Public URL empty to use the URL n8n received the request on.",
		);
	}
	return url;
}

/** The options the user added, and the defaults of those not added (or left empty by an expression). */
function withDefaults(added: TriggerOptions): typeof TRIGGER_DEFAULTS.options {
	const options = { ...TRIGGER_DEFAULTS.options };
	for (const [name, value] of Object.entries(added)) {
		if (value !== undefined && value !== null) Object.assign(options, { [name]: value });
	}
	return options;
}

/**
 * Reads the node's parameters and credential into the trigger's settings. Throws a
 * `NodeOperationError` saying what to correct when they are unusable.
 */
export async function readTriggerSettings(context: IWebhookFunctions): Promise<TriggerSettings> {
	const added = context.getNodeParameter('options', {}) as TriggerOptions;
	const options = withDefaults(added);
	const types = context.getNodeParameter('eventTypes', TRIGGER_DEFAULTS.eventTypes) as string[];
	const byEventType = context.getNodeParameter(
		'routeByEventType',
		TRIGGER_DEFAULTS.routeByEventType,
	) as boolean;
	// Left out, the tolerance is the sender's own where its profile has one (Paddle's 5 s).
	const verification = await readVerification(context, added.toleranceSeconds ?? undefined);
	// Left out, the type and id fields are the sender's own where its profile names them.
	const sources = eventSources(verification?.scheme ?? null, {
		typeHeader: options.eventTypeHeader,
		idHeader: options.eventIdHeader,
		typeField: options.eventTypeField,
		idField: added.eventIdField,
	});
	const ingest: IngestConfig = {
		verification,
		maxBodyBytes: options.maxBodyKib * 1024,
		normalize: { ...sources, strictFlowEvents: options.strictFlowEvents },
		filter: {
			types,
			patterns: parsePatternList(
				text(context, 'customEventTypes', TRIGGER_DEFAULTS.customEventTypes),
			),
		},
		dedup:
			options.deduplicate === false
				? null
				: {
						retentionSeconds: options.dedupRetentionHours * 3600,
						maxEntries: options.dedupMaxEntries,
					},
	};
	return {
		ingest,
		item: {
			includeHeaders: Boolean(options.includeHeaders),
			includeReceivedAt: options.includeReceivedAt !== false,
		},
		outputEventTypes: byEventType ? eventTypesWithOwnOutput(types) : null,
		publicUrl: readPublicUrl(context, verification?.scheme ?? null),
		webhookBaseUrl: String(options.webhookBaseUrl).trim() || undefined,
	};
}
