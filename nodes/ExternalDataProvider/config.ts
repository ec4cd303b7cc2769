import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { accessTokens, tokensProblem, type AccessRule } from '../../lib/dataset/access';
import { parseAllowedOrigins, type AllowedOrigins } from '../../lib/dataset/cors';
import {
	publishSettingsProblem,
	type PublishMode,
	type PublishSettings,
} from '../../lib/dataset/publish';
import { publishKeyProblem, publishSigningSecret } from '../../lib/dataset/publishing/protocol';
import type { ExtraFormat } from '../../lib/dataset/query';
import type { ServeConfig } from '../../lib/dataset/serve';
import { listWrapProblem, type ListWrap } from '../../lib/dataset/wrap';
import { webhookCredentials } from '../../lib/n8n/credentialCache';
import { misconfigurationError } from '../../lib/n8n/respond';

import { PROVIDER_DEFAULTS } from './defaults';
import { PUBLISH_KEY_CREDENTIAL } from './publishing/protocol';

export interface ProviderOptions {
	allowedOrigins?: string;
	cacheControl?: string;
	extraFormats?: ExtraFormat[];
	maxDatasetMb?: number;
	maxPageSize?: number;
}

type Authentication = typeof PROVIDER_DEFAULTS.authentication;

const BYTES_PER_MB = 1024 * 1024;

// What Node.js accepts in a header name (an RFC 9110 token) and in a header value.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * How a run publishes; parameters are read once per run, for the first item. Throws when an
 * expression pushed them out of the range the editor enforces.
 */
export function readPublishSettings(context: IExecuteFunctions): PublishSettings {
	const options = context.getNodeParameter('options', 0, {}) as ProviderOptions;
	const mode = context.getNodeParameter('publishMode', 0) as PublishMode;
	const settings = {
		mode,
		keepNewest: mode === 'append' ? (context.getNodeParameter('keepNewest', 0) as number) : 0,
		maxBytes: Math.round(
			(options.maxDatasetMb ?? PROVIDER_DEFAULTS.options.maxDatasetMb) * BYTES_PER_MB,
		),
	};
	const problem = publishSettingsProblem(settings);
	if (problem) {
		throw misconfigurationError(
			context,
			problem,
			'An expression in Keep Newest Items or Options › Max Dataset Size gave a value the editor would not accept. Nothing was published; the data published before stays.',
		);
	}
	return settings;
}

/** The Options collection, read once per GET for both the CORS headers and the serve config. */
export function readProviderOptions(context: IWebhookFunctions): ProviderOptions {
	return context.getNodeParameter('options', {}) as ProviderOptions;
}

/** How GET requests are answered. Throws when the node or its credential is misconfigured. */
export async function readServeConfig(
	context: IWebhookFunctions,
	options: ProviderOptions,
): Promise<ServeConfig> {
	const maxPageSize = options.maxPageSize ?? PROVIDER_DEFAULTS.options.maxPageSize;
	if (!(Number.isInteger(maxPageSize) && maxPageSize >= 1)) {
		throw misconfigurationError(
			context,
			`Max Page Size must be a whole number of at least 1, not ${maxPageSize}.`,
			'Set Options › Max Page Size to a whole number from 1 to 100,000, or make its expression give one.',
		);
	}
	const cacheControl = options.cacheControl || PROVIDER_DEFAULTS.options.cacheControl;
	if (!HEADER_VALUE.test(cacheControl)) {
		throw misconfigurationError(
			context,
			'Cache-Control Header may only hold printable ASCII.',
			'Options › Cache-Control Header is sent as an HTTP header, which cannot hold line breaks or characters beyond ASCII. Enter a value such as no-cache or public, max-age=60.',
		);
	}
	const publishMode = context.getNodeParameter(
		'publishMode',
		PROVIDER_DEFAULTS.publishMode,
	) as PublishMode;
	return {
		access: await readAccessRule(context),
		cacheControl,
		query: {
			maxPageSize,
			extraFormats: options.extraFormats ?? PROVIDER_DEFAULTS.options.extraFormats,
		},
		emptyShape: publishMode === 'singleObject' ? 'object' : 'list',
		listWrap: publishMode === 'singleObject' ? null : readListWrap(context),
	};
}

/** The origins that may read the data from a browser; reading them needs no credential. */
export function readAllowedOrigins(options: ProviderOptions): AllowedOrigins {
	return parseAllowedOrigins(options.allowedOrigins ?? PROVIDER_DEFAULTS.options.allowedOrigins);
}

/** The object a list is served in, when the node serves it so; null serves the list itself. */
function readListWrap(context: IWebhookFunctions): ListWrap | null {
	if (context.getNodeParameter('servedAs', PROVIDER_DEFAULTS.servedAs) !== 'objectWithList')
		return null;
	const optional = (name: 'countField' | 'updatedField') => {
		const value = (context.getNodeParameter(name, PROVIDER_DEFAULTS[name]) as string).trim();
		return value === '' ? undefined : value;
	};
	const wrap = {
		listField: (
			context.getNodeParameter('listField', PROVIDER_DEFAULTS.listField) as string
		).trim(),
		countField: optional('countField'),
		updatedField: optional('updatedField'),
	};
	const problem = listWrapProblem(wrap);
	if (problem) {
		throw misconfigurationError(
			context,
			problem,
			'With Serve As set to Object Holding the List, List Field names the field that holds the list; Count Field and Updated Field, when set, name two other fields.',
		);
	}
	return wrap;
}

async function readAccessRule(context: IWebhookFunctions): Promise<AccessRule> {
	const authentication = context.getNodeParameter(
		'authentication',
		PROVIDER_DEFAULTS.authentication,
	) as Authentication;
	if (authentication === 'none') return { kind: 'none' };
	const credentials = await readAccessCredential(context);
	const tokens = accessTokens(credentials.token, credentials.additionalTokens);
	// Fails closed: a weak or empty token list refuses every request instead of guarding weakly.
	const problem = tokensProblem(tokens);
	if (problem) {
		throw misconfigurationError(
			context,
			`Data Provider Access credential: ${problem}`,
			ACCESS_ADVICE,
		);
	}
	if (authentication === 'bearerToken') return { kind: 'bearer', tokens };
	const headerName = context.getNodeParameter('headerName', PROVIDER_DEFAULTS.headerName) as string;
	if (!HEADER_NAME.test(headerName)) {
		throw misconfigurationError(
			context,
			`"${headerName}" cannot be a header name.`,
			"Header Name must be an HTTP header name: letters, digits and ! # $ % & ' * + - . ^ _ ` | ~, without spaces.",
		);
	}
	return { kind: 'header', headerName, tokens };
}

const ACCESS_ADVICE =
	"Bearer Token and Custom Header authentication accept the tokens of the node's Data Provider Access credential: choose or create one in its Credential to connect with, or set Authentication to None. Until then every request is refused.";

async function readAccessCredential(
	context: IWebhookFunctions,
): Promise<{ token: string; additionalTokens?: string }> {
	try {
		return await webhookCredentials(context, 'dataProviderAccessApi');
	} catch {
		throw misconfigurationError(
			context,
			'The node has no Data Provider Access credential.',
			ACCESS_ADVICE,
		);
	}
}

const PUBLISH_KEY_ADVICE =
	"A run that does not hold the published data (queue-mode workers, the first publish) publishes through the node's webhook, signed with a key from the node's Data Provider Publish Key credential, so that nobody who can merely read the workflow can publish. Choose or create one in the node's Credential to connect with; one key can serve all providers. Nothing was published.";

/**
 * The key this node's publish requests are signed with, derived from its publish key credential,
 * which the run and the publish webhook both read (`read` reads a credential of the node).
 */
export async function readPublishSecret(
	context: IExecuteFunctions | IWebhookFunctions,
	read: (type: string) => Promise<{ secret?: unknown }>,
): Promise<string> {
	let credential: { secret?: unknown };
	try {
		credential = await read(PUBLISH_KEY_CREDENTIAL);
	} catch {
		throw misconfigurationError(
			context,
			'The node has no Data Provider Publish Key credential.',
			PUBLISH_KEY_ADVICE,
		);
	}
	const publishKey = typeof credential.secret === 'string' ? credential.secret : '';
	const problem = publishKeyProblem(publishKey);
	if (problem) {
		throw misconfigurationError(
			context,
			`Data Provider Publish Key credential: ${problem}`,
			PUBLISH_KEY_ADVICE,
		);
	}
	const workflowId = context.getWorkflow().id ?? '';
	return publishSigningSecret(publishKey, workflowId, context.getNode().id);
}
