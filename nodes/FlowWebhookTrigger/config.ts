import type { IWebhookFunctions } from 'n8n-workflow';

import { parsePatternList } from '../../lib/events/patterns';
import { webhookCredentials } from '../../lib/n8n/credentialCache';
import type { IngestConfig } from '../../lib/ingest/handleIngest';
import { activeSecrets, schemeFromParameters, secretToKey } from '../../lib/signing';

import { routedEventTypes } from './description/outputs';

export interface TriggerOptions {
	deduplicate?: boolean;
	dedupRetentionHours?: number;
	dedupMaxEntries?: number;
	eventIdField?: string;
	eventTypeField?: string;
	includeHeaders?: boolean;
	includeReceivedAt?: boolean;
	maxBodyKib?: number;
	strictFlowEvents?: boolean;
	toleranceSeconds?: number;
}

function text(context: IWebhookFunctions, name: string): string {
	return String(context.getNodeParameter(name, '') ?? '');
}

async function readVerification(
	context: IWebhookFunctions,
	options: TriggerOptions,
): Promise<IngestConfig['verification']> {
	const scheme = schemeFromParameters({
		scheme: text(context, 'verification'),
		signatureHeader: text(context, 'signatureHeader'),
		algorithm: text(context, 'algorithm'),
		encoding: text(context, 'encoding'),
		prefix: text(context, 'prefix'),
		timestampHeader: text(context, 'timestampHeader'),
		idHeader: text(context, 'idHeader'),
	});
	if (!scheme) return null;
	const credentials = await webhookCredentials<{ secret: string; previousSecret?: string }>(
		context,
		'webhookSigningSecretApi',
	);
	const secrets = activeSecrets(credentials.secret, credentials.previousSecret);
	// Fails here, on configuration, rather than later on a request.
	secrets.forEach(secretToKey);
	return { scheme, secrets, toleranceSeconds: options.toleranceSeconds ?? 300 };
}

/** Reads the node's parameters and credential into the pure ingest configuration. Throws on misconfiguration. */
export interface TriggerSettings {
	config: IngestConfig;
	options: TriggerOptions;
	/** Event types with their own output, or null when the node has a single output. */
	routedTypes: string[] | null;
}

export async function readIngestConfig(context: IWebhookFunctions): Promise<TriggerSettings> {
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const types = context.getNodeParameter('eventTypes', []) as string[];
	const routeByEventType = context.getNodeParameter('routeByEventType', false) as boolean;
	const config: IngestConfig = {
		verification: await readVerification(context, options),
		maxBodyBytes: (options.maxBodyKib ?? 1024) * 1024,
		normalize: {
			typeField: options.eventTypeField ?? 'auto',
			idField: options.eventIdField ?? 'id',
			strictFlowEvents: options.strictFlowEvents ?? false,
		},
		filter: { types, patterns: parsePatternList(text(context, 'customEventTypes')) },
		dedup:
			options.deduplicate === false
				? null
				: {
						retentionSeconds: (options.dedupRetentionHours ?? 24) * 3600,
						maxEntries: options.dedupMaxEntries ?? 5000,
					},
	};
	return { config, options, routedTypes: routeByEventType ? routedEventTypes(types) : null };
}
