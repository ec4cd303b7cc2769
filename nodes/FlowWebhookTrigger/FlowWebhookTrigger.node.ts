import { randomUUID } from 'node:crypto';

import {
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { routeIndex } from '../../lib/events/patterns';
import { errorCode } from '../../lib/http/answers';
import { eventItem } from '../../lib/ingest/eventItem';
import { handleIngest, type IngestOutcome } from '../../lib/ingest/handleIngest';
import { ingestRefusal } from '../../lib/ingest/refusal';
import { testWebhookSigningSecret } from '../../lib/n8n/credentialTest';
import { SIGNED_SCHEMES } from '../../lib/n8n/customHmacProperties';
import { answerMisconfigured, writeAnswer } from '../../lib/n8n/respond';
import { nodeScope } from '../../lib/n8n/nodeScope';
import { rawRequestBody, UNREADABLE_BODY } from '../../lib/n8n/rawBody';
import { guardRequest, logRefusal } from '../../lib/n8n/security';
import { parameterFields } from '../../lib/n8n/webhookFields';
import { userManagedWebhookMethods } from '../../lib/n8n/webhookMethods';
import { signatureHeaderNames } from '../../lib/signing';
import { absorb, fromStored, processSeenIds, toStored, type SeenIds } from '../../lib/store/dedup';

import { readIngestConfig, type TriggerSettings } from './config';
import { eventProperties } from './description/events';
import { optionProperties } from './description/options';
import { configuredOutputs } from './description/outputs';
import { securityProperties } from './description/security';
import { verificationProperties } from './description/verification';

export class FlowWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flow Webhook Trigger',
		name: 'flowWebhookTrigger',
		icon: { light: 'file:flowWebhookTrigger.svg', dark: 'file:flowWebhookTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1; on 1.1 n8n no longer evaluates an expression per request to read an
		// option only version 1 nodes had (binary data).
		version: [1, 1.1],
		subtitle:
			'={{$parameter["httpMethod"] + ($parameter["path"] ? " /" + $parameter["path"] : "") + ($parameter["verification"] === "none" ? " · unverified" : "")}}',
		description:
			'Starts the workflow when a signed event arrives; forged, replayed, duplicate and filtered-out requests are answered without an execution',
		documentationUrl:
			'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks#flow-webhook-trigger',
		defaults: { name: 'Flow Webhook Trigger' },
		inputs: [],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		triggerPanel: {
			header: 'Send a signed event to the test URL to see what this trigger outputs',
			executionsHelp: {
				inactive:
					'While building, click "Listen for test event" and send an event to the test URL: it runs this workflow once, here. Once the workflow is published, events sent to the production URL start it automatically; those runs appear under Executions.',
				active:
					'The workflow is published: events sent to the production URL start it automatically and appear under Executions. Click "Listen for test event" to try one here through the test URL.',
			},
			activationHint:
				'Publish the workflow to receive events on the production URL. Forged, replayed, duplicate and filtered-out requests are answered without starting it.',
		},
		credentials: [
			{
				name: 'webhookSigningSecretApi',
				required: true,
				testedBy: 'webhookSigningSecretTest',
				displayOptions: { show: { verification: SIGNED_SCHEMES } },
			},
		],
		webhooks: [
			{
				name: 'default',
				...parameterFields({
					httpMethod: { parameter: 'httpMethod', fallback: 'POST' },
					path: { parameter: 'path' },
				}),
				responseMode: 'onReceived',
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName: 'HTTP Method',
				name: 'httpMethod',
				type: 'options',
				options: [
					{ name: 'POST', value: 'POST' },
					{ name: 'PUT', value: 'PUT' },
				],
				default: 'POST',
				description: 'The HTTP method senders use',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: '',
				placeholder: 'flow-events',
				description:
					'The last part of the webhook URL: &lt;n8n URL&gt;/webhook/&lt;path&gt; in production, /webhook-test/&lt;path&gt; while listening for a test event. Leave empty for a unique generated path; a readable one must be unique among published workflows.',
			},
			...verificationProperties,
			...eventProperties,
			...optionProperties,
			...securityProperties,
		],
	};

	methods = {
		credentialTest: { webhookSigningSecretTest: testWebhookSigningSecret },
	};

	webhookMethods = userManagedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const refused = guardRequest(this, 'receiving workflow');
		if (refused) return refused;
		const rawBody = await rawRequestBody(this);
		if (!rawBody) {
			writeAnswer(this, UNREADABLE_BODY);
			logRefusal(this, { reason: errorCode(UNREADABLE_BODY) });
			return { noWebhookResponse: true };
		}
		let settings: TriggerSettings;
		try {
			settings = await readIngestConfig(this);
		} catch (error) {
			return answerMisconfigured(this, error, 'receiving workflow');
		}
		const scope = nodeScope(this);
		const now = Math.floor(Date.now() / 1000);
		const { seen, storeIsBehind } = rememberedIds(this, scope, settings, now);
		const outcome = handleIngest(
			{ headers: this.getRequestObject().headers, rawBody },
			settings.config,
			{ now, seen, newId: randomUUID },
		);
		writeAnswer(this, outcome.answer);
		// A verified request also puts back ids another process's save dropped; a forged one writes nothing.
		const verified = outcome.kind !== 'rejected';
		if (settings.config.dedup && (outcome.kind === 'accepted' || (verified && storeIsBehind)))
			persistRememberedIds(this, scope, seen);
		if (outcome.kind !== 'accepted') {
			logRefusal(this, ingestRefusal(outcome));
			return { noWebhookResponse: true };
		}
		return { noWebhookResponse: true, workflowData: routeOutput(this, outcome, settings) };
	}
}

// The revision of the persisted ids each scope last wrote or absorbed: while the stored revision
// is the same, the store holds nothing this process lacks, so a request need not walk it.
const knownRevisions = new Map<string, string>();

/**
 * The ids this process remembers, topped up with those in the workflow's static data (what other
 * processes, or this one before a restart, accepted) when that data changed since last seen.
 * `storeIsBehind`: the stored ids lack some this process accepted, because another process saved
 * over them (n8n's saves are last-writer-wins).
 */
function rememberedIds(
	context: IWebhookFunctions,
	scope: string,
	{ config }: TriggerSettings,
	now: number,
): { seen: SeenIds; storeIsBehind: boolean } {
	const seen = processSeenIds(scope);
	if (!config.dedup) return { seen, storeIsBehind: false };
	const staticData = context.getWorkflowStaticData('node');
	const revision = staticData.seenEventIdsRevision as string | undefined;
	if (revision !== undefined && revision === knownRevisions.get(scope))
		return { seen, storeIsBehind: false };
	const storeIsBehind = absorb(seen, fromStored(staticData.seenEventIds), now, config.dedup);
	if (revision !== undefined) knownRevisions.set(scope, revision);
	return { seen, storeIsBehind };
}

/**
 * n8n saves static data per request and the last save wins; writing the whole remembered set
 * each time means a save never drops ids that an earlier request of this process accepted.
 */
function persistRememberedIds(context: IWebhookFunctions, scope: string, seen: SeenIds): void {
	const staticData = context.getWorkflowStaticData('node');
	const revision = randomUUID();
	staticData.seenEventIds = toStored(seen);
	staticData.seenEventIdsRevision = revision;
	knownRevisions.set(scope, revision);
}

function routeOutput(
	context: IWebhookFunctions,
	outcome: Extract<IngestOutcome, { kind: 'accepted' }>,
	{ options, config, routedTypes }: TriggerSettings,
): INodeExecutionData[][] {
	const scheme = config.verification?.scheme;
	const item: INodeExecutionData = {
		json: eventItem(outcome.event, outcome.body, {
			headers: options.includeHeaders ? context.getRequestObject().headers : undefined,
			hiddenHeaders: scheme ? signatureHeaderNames(scheme) : [],
			receivedAt: options.includeReceivedAt === false ? undefined : new Date(),
		}) as IDataObject,
	};
	if (!routedTypes) return [[item]];
	const outputs: INodeExecutionData[][] = [...routedTypes, 'other'].map(() => []);
	outputs[routeIndex(outcome.event.event, routedTypes)].push(item);
	return outputs;
}
