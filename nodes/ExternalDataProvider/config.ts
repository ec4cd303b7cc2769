import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { accessTokens, tokensProblem, type AccessRule } from '../../lib/dataset/access';
import { parseAllowedOrigins, type AllowedOrigins } from '../../lib/dataset/cors';
import type { PublishMode, PublishSettings } from '../../lib/dataset/publish';
import type { ExtraFormat } from '../../lib/dataset/query';
import type { ServeConfig } from '../../lib/dataset/serve';
import { listWrapProblem, type ListWrap } from '../../lib/dataset/wrap';
import { webhookCredentials } from '../../lib/n8n/credentialCache';

import { PROVIDER_DEFAULTS } from './defaults';

interface ProviderOptions {
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

/** How a run publishes; parameters are read once per run, for the first item. */
export function readPublishSettings(context: IExecuteFunctions): PublishSettings {
	const options = context.getNodeParameter('options', 0, {}) as ProviderOptions;
	const mode = context.getNodeParameter('publishMode', 0) as PublishMode;
	return {
		mode,
		keepNewest: mode === 'append' ? (context.getNodeParameter('keepNewest', 0) as number) : 0,
		maxBytes: Math.round(
			(options.maxDatasetMb ?? PROVIDER_DEFAULTS.options.maxDatasetMb) * BYTES_PER_MB,
		),
	};
}

/** How GET requests are answered. Throws when the node or its credential is misconfigured. */
export async function readServeConfig(context: IWebhookFunctions): Promise<ServeConfig> {
	const options = context.getNodeParameter('options', {}) as ProviderOptions;
	const maxPageSize = options.maxPageSize ?? PROVIDER_DEFAULTS.options.maxPageSize;
	if (!(Number.isInteger(maxPageSize) && maxPageSize >= 1)) {
		throw new Error(`Max Page Size must be a whole number of at least 1, not ${maxPageSize}.`);
	}
	const cacheControl = options.cacheControl || PROVIDER_DEFAULTS.options.cacheControl;
	if (!HEADER_VALUE.test(cacheControl))
		throw new Error('Cache-Control Header may only hold printable ASCII.');
	const publishMode = context.getNodeParameter(
		'publishMode',
		PROVIDER_DEFAULTS.publishMode,
	) as PublishMode;
	return {
		access: await readAccessRule(context),
		allowedOrigins: readAllowedOrigins(context),
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
export function readAllowedOrigins(context: IWebhookFunctions): AllowedOrigins {
	const options = context.getNodeParameter('options', {}) as ProviderOptions;
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
	if (problem) throw new Error(problem);
	return wrap;
}

async function readAccessRule(context: IWebhookFunctions): Promise<AccessRule> {
	const authentication = context.getNodeParameter(
		'authentication',
		PROVIDER_DEFAULTS.authentication,
	) as Authentication;
	if (authentication === 'none') return { kind: 'none' };
	const credentials = await webhookCredentials<{ token: string; additionalTokens?: string }>(
		context,
		'dataProviderAccessApi',
	);
	const tokens = accessTokens(credentials.token, credentials.additionalTokens);
	// Fails closed: a weak or empty token list refuses every request instead of guarding weakly.
	const problem = tokensProblem(tokens);
	if (problem) throw new Error(`Data Provider Access credential: ${problem}`);
	if (authentication === 'bearerToken') return { kind: 'bearer', tokens };
	const headerName = context.getNodeParameter('headerName', PROVIDER_DEFAULTS.headerName) as string;
	if (!HEADER_NAME.test(headerName)) throw new Error(`"${headerName}" cannot be a header name.`);
	return { kind: 'header', headerName, tokens };
}
