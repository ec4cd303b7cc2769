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
import {
	absorb,
	fromStored,
	processLedger,
	settle,
	toStored,
	type DedupOptions,
	type IdLedger,
	type StoredIds,
} from '../../lib/store/dedup';

import { readIngestConfig, type TriggerSettings } from './config';
import { eventProperties } from './description/events';
import { optionProperties } from './description/options';
import { configuredOutputs } from './description/outputs';
import { securityProperties } from './description/security';
import { verificationProperties } from './description/verification';

/**
 * The status n8n answers an accepted event with, once it has stored the run. A number: n8n hands
 * the description's value to Express as it is, and the string '202' makes Express throw.
 */
const ACCEPTED_STATUS = 202;

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
				// n8n answers an accepted event itself, and only after it stored the run: a 2xx then
				// means the event cannot be lost. The body is what webhook() returns as webhookResponse.
				responseCode: ACCEPTED_STATUS as unknown as string,
				responseData: '',
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
		if (!rawBody) return refuse(this, { kind: 'rejected', answer: UNREADABLE_BODY });
		let settings: TriggerSettings;
		try {
			settings = await readIngestConfig(this);
		} catch (error) {
			return answerMisconfigured(this, error, 'receiving workflow');
		}
		const { dedup } = settings.config;
		const scope = nodeScope(this);
		const now = Math.floor(Date.now() / 1000);
		const { ledger, storeIsBehind } = rememberedIds(this, scope, dedup, now);
		const outcome = handleIngest(
			{ headers: this.getRequestObject().headers, rawBody },
			settings.config,
			{ now, ledger, newId: randomUUID },
		);
		if (outcome.kind !== 'accepted') {
			// A verified request also puts back ids another process's save dropped; a forged one writes nothing.
			if (dedup && storeIsBehind && outcome.kind !== 'rejected')
				persistRememberedIds(this, scope, toStored(ledger.stored));
			return refuse(this, outcome);
		}
		if (dedup && outcome.claimed) {
			const { id } = outcome.event;
			// Saved by n8n only once the run is stored, so a run that n8n fails to store leaves no id behind.
			persistRememberedIds(this, scope, [...toStored(ledger.stored), id, now]);
			settleWhenAnswered(this, ledger, id, dedup);
		}
		return {
			workflowData: routeOutput(this, outcome, settings),
			webhookResponse: outcome.answer.body,
		};
	}
}

/** Answers a request that starts no run, and logs why. */
function refuse(
	context: IWebhookFunctions,
	outcome: Exclude<IngestOutcome, { kind: 'accepted' }>,
): IWebhookResponseData {
	writeAnswer(context, outcome.answer);
	logRefusal(context, ingestRefusal(outcome));
	return { noWebhookResponse: true };
}

/**
 * Ends the claim on an accepted id when n8n has answered: an answer of ACCEPTED_STATUS means n8n
 * stored the run; any other answer, or a sender that hung up first, lets a redelivery run.
 */
function settleWhenAnswered(
	context: IWebhookFunctions,
	ledger: IdLedger,
	id: string,
	options: DedupOptions,
): void {
	const response = context.getResponseObject();
	response.once('close', () => {
		const stored = response.writableFinished && response.statusCode === ACCEPTED_STATUS;
		settle(ledger, id, stored, Math.floor(Date.now() / 1000), options);
	});
}

// The revision of the persisted ids each scope last wrote or absorbed: while the stored revision
// is the same, the store holds nothing this process lacks, so a request need not walk it.
const knownRevisions = new Map<string, string>();

/**
 * This process's ledger, topped up with the ids in the workflow's static data (what other
 * processes, or this one before a restart, stored runs for) when that data changed since last seen.
 * `storeIsBehind`: the stored ids lack some this process stored, because another process saved
 * over them (n8n's saves are last-writer-wins).
 */
function rememberedIds(
	context: IWebhookFunctions,
	scope: string,
	dedup: DedupOptions | null,
	now: number,
): { ledger: IdLedger; storeIsBehind: boolean } {
	const ledger = processLedger(scope);
	if (!dedup) return { ledger, storeIsBehind: false };
	const staticData = context.getWorkflowStaticData('node');
	const revision = staticData.seenEventIdsRevision as string | undefined;
	if (revision !== undefined && revision === knownRevisions.get(scope))
		return { ledger, storeIsBehind: false };
	const storeIsBehind = absorb(ledger.stored, fromStored(staticData.seenEventIds), now, dedup);
	if (revision !== undefined) knownRevisions.set(scope, revision);
	return { ledger, storeIsBehind };
}

/**
 * n8n saves static data per request and the last save wins; writing the whole remembered set
 * each time means a save never drops ids that an earlier request of this process stored.
 */
function persistRememberedIds(context: IWebhookFunctions, scope: string, ids: StoredIds): void {
	const staticData = context.getWorkflowStaticData('node');
	const revision = randomUUID();
	staticData.seenEventIds = ids;
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
