import { randomUUID } from 'node:crypto';

import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { outputIndexByEventType } from '../../lib/events/patterns';
import { eventItem } from '../../lib/ingest/eventItem';
import {
	explainRefusal,
	signatureFindings,
	type RefusalFacts,
} from '../../lib/ingest/explainRefusal';
import {
	handleIngest,
	type IngestOutcome,
	type IngestRequest,
} from '../../lib/ingest/handleIngest';
import { ingestRefusal } from '../../lib/ingest/refusal';
import { errorCode, type HttpAnswer } from '../../lib/http/answers';
import { testWebhookSigningSecret } from '../../credentials/WebhookSigningSecretApi.credentialTest';
import { SIGNED_SCHEMES } from '../../lib/n8n/schemeProperties';
import { answerMisconfigured, misconfigurationError } from '../../lib/n8n/respond';
import { receivedUrl } from '../../lib/n8n/receivedUrl';
import { rawRequestBody, UNREADABLE_BODY } from '../../lib/n8n/rawBody';
import { refuseRequest, securityVerdict } from '../../lib/n8n/security';
import { parameterFields } from '../../lib/n8n/webhookFields';
import { userManagedWebhookMethods } from '../../lib/n8n/webhookMethods';
import { signsUrl } from '../../lib/signing/profile';
import { profileOf, signatureHeaderNames } from '../../lib/signing/schemes';

import { readTriggerSettings, type TriggerSettings } from './config';
import { TRIGGER_DEFAULTS } from './defaults';
import { acceptPersist, openDuplicateRecord } from './duplicateRecord';
import {
	answerHandshake,
	isVerificationRequest,
	verificationOutcome,
	VERIFY_TOKEN_WEBHOOK,
} from './handshake';
import { endListening, isListening } from './listening';
import { PERSIST_PATH, PERSIST_WEBHOOK } from './persistWebhook';
import { endpointProperties } from './description/endpoint';
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

const FIRST_EVENT_DOCS =
	'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks#your-first-event';

/** What the trigger panel tells a new user to do; n8n shows it as HTML. */
const FIRST_EVENT_HELP = [
	'1. Click "Execute step": n8n listens for one event.',
	"2. Send a POST with a JSON body to the <b>Test URL</b> (Parameters › Webhook URLs: <code>&lt;your n8n&gt;/webhook-test/&lt;Path&gt;</code>), signed with the credential's secret and carrying the headers your Verification needs: Standard Webhooks <code>webhook-id</code>, <code>webhook-timestamp</code> (Unix seconds) and <code>webhook-signature</code> (or their <code>svix-</code> names); GitHub Style <code>X-Hub-Signature-256</code> and <code>X-GitHub-Event</code>; Stripe Style <code>Stripe-Signature</code>; Custom HMAC and Shared Token the headers you set.",
	'3. The event appears here. A refused request also ends the listening: the panel then shows the answer the sender got, what was wrong and what to change.',
	`A signed curl to copy: <a href="${FIRST_EVENT_DOCS}" target="_blank">README › Your first event</a>.`,
].join('<br>');

/** How a misconfiguration answer names this endpoint to the sender. */
const ENDPOINT = 'receiving workflow';

export class FlowWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flow Webhook Trigger',
		name: 'flowWebhookTrigger',
		icon: { light: 'file:flowWebhookTrigger.svg', dark: 'file:flowWebhookTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1; on 1.1 n8n no longer evaluates an expression per request to read an
		// option only version 1 nodes had (binary data). 2 reads each sender's secret as its
		// library does (SECRETS_PER_SENDER_VERSION).
		version: [1, 1.1, 2],
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
			header:
				'Click "Execute step" to listen, then POST a signed JSON event to the Test URL (Parameters › Webhook URLs)',
			executionsHelp: {
				inactive: `${FIRST_EVENT_HELP}<br><br>Once the workflow is published, events sent to the Production URL start it automatically; those runs appear under Executions.`,
				active: `The workflow is published: events sent to the Production URL start it automatically and appear under Executions. To try one here instead:<br><br>${FIRST_EVENT_HELP}`,
			},
			activationHint:
				'Publish the workflow to receive events on the Production URL. Forged, replayed, duplicate and filtered-out requests are answered without starting it.',
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
					httpMethod: { parameter: 'httpMethod', fallback: TRIGGER_DEFAULTS.httpMethod },
					path: { parameter: 'path' },
				}),
				responseMode: 'onReceived',
				// n8n answers an accepted event itself, and only after it stored the run: a 2xx then
				// means the event cannot be lost. The body is what webhook() returns as webhookResponse.
				responseCode: ACCEPTED_STATUS as unknown as string,
				responseData: '',
				isFullPath: true,
			},
			// The GET some senders (Meta) check the URL with; registered only for their presets.
			VERIFY_TOKEN_WEBHOOK,
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
			...endpointProperties,
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
		const security = securityVerdict(this);
		if (security && 'misconfigured' in security)
			return await misconfigured(this, security.misconfigured);
		if (security) return await refuse(this, security.refused);
		if (isVerificationRequest(this)) return await answerVerification(this);
		const rawBody = await rawRequestBody(this);
		if (!rawBody) return await refuse(this, UNREADABLE_BODY);
		let settings: TriggerSettings;
		try {
			settings = await readTriggerSettings(this);
		} catch (error) {
			return await misconfigured(this, error as Error);
		}
		const request = receivedRequest(this, rawBody, settings);
		const scheme = settings.ingest.verification?.scheme;
		if (request.url === undefined && scheme && signsUrl(profileOf(scheme)))
			return await misconfigured(this, unknownUrlError(this));
		const now = Math.floor(Date.now() / 1000);
		const duplicates = openDuplicateRecord(this, settings, now);
		const outcome = handleIngest(request, settings.ingest, {
			now,
			ledger: duplicates.ledger,
			newId: randomUUID,
		});
		duplicates.recordOutcome(outcome, ACCEPTED_STATUS);
		// Answered as the sender requires; while the editor listens, it goes on listening.
		if (outcome.kind === 'handshake') return answerHandshake(this, outcome.answer);
		if (outcome.kind !== 'accepted') {
			const refusal = ingestRefusal(outcome);
			return await refuse(this, outcome.answer, refusal, () => ({
				scheme: settings.ingest.verification?.scheme ?? null,
				findings: signatureFindings(request, settings.ingest, now, refusal.reason),
			}));
		}
		return {
			workflowData: outputItems(this, outcome, settings),
			webhookResponse: outcome.answer.body,
		};
	}
}

/** Answers the sender's GET verification request (Meta's Verify Token); it never starts a run. */
async function answerVerification(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const outcome = verificationOutcome(context);
	if (outcome instanceof Error) return await misconfigured(context, outcome);
	if (outcome.kind === 'rejected') return await refuse(context, outcome.answer);
	return answerHandshake(context, outcome.answer);
}

/** The request as the ingest reads it; its URL is the Public URL, else the one n8n received it on. */
function receivedRequest(
	context: IWebhookFunctions,
	rawBody: Buffer,
	settings: TriggerSettings,
): IngestRequest {
	const { headers, method } = context.getRequestObject();
	return { headers, rawBody, method, url: settings.publicUrl ?? receivedUrl(context) };
}

function unknownUrlError(context: IWebhookFunctions): NodeOperationError {
	return misconfigurationError(
		context,
		'The URL this request was sent to is unknown, and the sender signs it.',
		"Set Public URL to the URL exactly as the sender's dashboard shows it.",
	);
}

/**
 * Answers a request that starts no run, and logs why. While the editor listens, it also ends the
 * listening with the reason; `details` (the scheme, a diagnosis) is only worked out then.
 */
async function refuse(
	context: IWebhookFunctions,
	answer: HttpAnswer,
	refusal: { reason: string; eventId?: string } = { reason: errorCode(answer) },
	details: () => Pick<RefusalFacts, 'scheme' | 'findings'> = () => ({ scheme: null }),
): Promise<IWebhookResponseData> {
	const answered = refuseRequest(context, answer, refusal);
	if (!isListening(context)) return answered;
	return await endListening(
		context,
		explainRefusal({ reason: refusal.reason, answer, ...details() }),
	);
}

/** Answers 500 `misconfigured`; while the editor listens, shows it what is wrong and how to fix it. */
async function misconfigured(
	context: IWebhookFunctions,
	error: Error,
): Promise<IWebhookResponseData> {
	const answered = answerMisconfigured(context, error, ENDPOINT);
	if (!isListening(context)) return answered;
	return await endListening(
		context,
		explainRefusal({
			reason: 'misconfigured',
			answer: { status: 500 },
			scheme: null,
			problem: error.message,
			fix: (error instanceof NodeOperationError && error.description) || undefined,
		}),
	);
}

/** The accepted events as items, on the node's only output or on their event types' outputs. */
function outputItems(
	context: IWebhookFunctions,
	outcome: Extract<IngestOutcome, { kind: 'accepted' }>,
	{ ingest, item, outputEventTypes }: TriggerSettings,
): INodeExecutionData[][] {
	const scheme = ingest.verification?.scheme;
	const options = {
		headers: item.includeHeaders ? context.getRequestObject().headers : undefined,
		hiddenHeaders: scheme ? signatureHeaderNames(scheme) : [],
		receivedAt: item.includeReceivedAt ? new Date() : undefined,
	};
	const items = outcome.events.map(({ event, body }) => ({
		type: event.event,
		item: { json: eventItem(event, body, options) as IDataObject } as INodeExecutionData,
	}));
	if (!outputEventTypes) return [items.map(({ item }) => item)];
	const outputs: INodeExecutionData[][] = [...outputEventTypes, 'other'].map(() => []);
	for (const { type, item } of items)
		outputs[outputIndexByEventType(type, outputEventTypes)].push(item);
	return outputs;
}
