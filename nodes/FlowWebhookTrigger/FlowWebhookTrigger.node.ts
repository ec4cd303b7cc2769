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
import { answerMisconfigured } from '../../lib/n8n/respond';
import { rawRequestBody, UNREADABLE_BODY } from '../../lib/n8n/rawBody';
import { guardRequest, refuseRequest } from '../../lib/n8n/security';
import { parameterFields } from '../../lib/n8n/webhookFields';
import { userManagedWebhookMethods } from '../../lib/n8n/webhookMethods';
import { signatureHeaderNames } from '../../lib/signing';
import { toStored } from '../../lib/store/dedup';

import { readIngestConfig, type TriggerSettings } from './config';
import {
	acceptPersist,
	persistRememberedIds,
	PERSIST_PATH,
	PERSIST_WEBHOOK,
	rememberedIds,
	settleWhenAnswered,
} from './duplicateRecord';
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
			'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks/blob/main/docs/flow-webhook-trigger.md',
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
			{
				// Where the node saves the ids of stored runs (duplicateRecord.ts), under its own webhook
				// id so that it can never take another workflow's path. The editor does not show it.
				name: PERSIST_WEBHOOK,
				httpMethod: 'POST',
				path: PERSIST_PATH,
				ndvHideUrl: true,
				ndvHideMethod: true,
				responseMode: 'onReceived',
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
		if (this.getWebhookName() === PERSIST_WEBHOOK) return await acceptPersist(this);
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
		const now = Math.floor(Date.now() / 1000);
		const { ledger, storeIsBehind } = rememberedIds(this, dedup, now);
		const outcome = handleIngest(
			{ headers: this.getRequestObject().headers, rawBody },
			settings.config,
			{ now, ledger, newId: randomUUID },
		);
		if (outcome.kind !== 'accepted') {
			// A verified request also puts back ids another process's save dropped; a forged one writes nothing.
			if (dedup && storeIsBehind && outcome.kind !== 'rejected')
				persistRememberedIds(this, toStored(ledger.stored));
			return refuse(this, outcome);
		}
		if (outcome.claimed)
			settleWhenAnswered(this, settings, ledger, outcome.event.id, ACCEPTED_STATUS);
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
	return refuseRequest(context, outcome.answer, ingestRefusal(outcome));
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
