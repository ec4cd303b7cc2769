import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { acceptedTokenKey } from '../../lib/dataset/access';
import { testDataProviderAccess } from '../../credentials/DataProviderAccessApi.credentialTest';
import { testDataProviderPublishKey } from '../../credentials/DataProviderPublishKeyApi.credentialTest';
import { corsHeaders } from '../../lib/dataset/cors';
import { publishDataset } from '../../lib/dataset/publish';
import { PUBLISH_PATH, receiptOf } from '../../lib/dataset/publishing/protocol';
import { preparePublishRequest } from '../../lib/dataset/publishing/send';
import { answerDataRequest, type ServeConfig } from '../../lib/dataset/serve';
import { errorCode } from '../../lib/http/answers';
import { readHeader } from '../../lib/http/headers';
import { answerMisconfigured, writeAnswer } from '../../lib/n8n/respond';
import { guardRequest, logRefusal, readSecurityPolicy } from '../../lib/n8n/security';
import { parameterFields } from '../../lib/n8n/webhookFields';
import { userManagedWebhookMethods } from '../../lib/n8n/webhookMethods';

import {
	readAllowedOrigins,
	readProviderOptions,
	readPublishSettings,
	readServeConfig,
} from './config';
import { accessProperties } from './description/access';
import { optionProperties } from './description/options';
import { publishingProperties } from './description/publishing';
import { securityProperties } from './description/security';
import { PUBLISH_WEBHOOK } from './publishing/protocol';
import { answerPublishWebhook } from './publishing/receive';
import { publishThroughWebhook } from './publishing/send';
import { sendFailureError } from './publishing/sendFailure';
import {
	addPlacementHint,
	addPublishedHint,
	errorOutputOrThrow,
	manualRunMessage,
	tooDeepError,
	tooLargeError,
} from './runReport';
import { readDataset, writeDataset } from './storage';

const RUNS_WITH_LOADED_DATA = new Set<WorkflowExecuteMode>(['manual', 'integrated']);

/** How refusals and misconfiguration answers name the GET endpoint. */
const ENDPOINT = 'data endpoint';

export class ExternalDataProvider implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'External Data Provider',
		name: 'externalDataProvider',
		icon: { light: 'file:externalDataProvider.svg', dark: 'file:externalDataProvider.dark.svg' },
		group: ['output'],
		// 1.1 behaves as 1; on 1.1 n8n no longer evaluates an expression per request to read an
		// option only version 1 nodes had (binary data).
		version: [1, 1.1],
		subtitle:
			'={{"GET" + ($parameter["path"] ? " /" + $parameter["path"] : "") + " · " + ($parameter["publishMode"] === "singleObject" ? "single object" : $parameter["publishMode"]) + ($parameter["authentication"] === "none" ? " · public" : "")}}',
		description:
			'Publishes the items that reach it at a GET URL that dashboards and other apps can poll',
		documentationUrl:
			'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks/blob/main/docs/external-data-provider.md',
		defaults: { name: 'External Data Provider' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'dataProviderAccessApi',
				required: true,
				testedBy: 'dataProviderAccessTest',
				displayOptions: { show: { authentication: ['bearerToken', 'customHeader'] } },
			},
			{
				name: 'dataProviderPublishKeyApi',
				required: true,
				testedBy: 'dataProviderPublishKeyTest',
			},
		],
		webhooks: [
			{
				name: 'default',
				// n8n waits for a test request on every webhook of the nodes a manual run covers. The
				// method is empty unless the workflow is published, so n8n registers no test webhook
				// for this node and "Execute step" runs at once instead of waiting for a GET.
				httpMethod: '={{$workflow.active ? "GET" : ""}}',
				ndvHideMethod: '={{!$workflow.active}}',
				responseMode: 'onReceived',
				...parameterFields({ path: { parameter: 'path' } }),
				isFullPath: true,
			},
			{
				// Runs without the stored dataset publish here (publishing/send.ts), under the node's own
				// webhook id so that it can never take another workflow's path. Like the GET, it exists
				// only while the workflow is published; the editor does not show it.
				name: PUBLISH_WEBHOOK,
				httpMethod: '={{$workflow.active ? "POST" : ""}}',
				path: PUBLISH_PATH,
				ndvHideUrl: true,
				ndvHideMethod: true,
				responseMode: 'onReceived',
			},
		],
		properties: [
			...publishingProperties,
			...accessProperties,
			...optionProperties,
			...securityProperties,
		],
	};

	methods = {
		credentialTest: {
			dataProviderAccessTest: testDataProviderAccess,
			dataProviderPublishKeyTest: testDataProviderPublishKey,
		},
	};

	webhookMethods = {
		...userManagedWebhookMethods,
		[PUBLISH_WEBHOOK]: userManagedWebhookMethods.default,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getWebhookName() === PUBLISH_WEBHOOK) return await answerPublishWebhook(this);
		const request = this.getRequestObject();
		// n8n has already set an Allow-Origin header by its own rules; this node's option decides.
		this.getResponseObject().removeHeader('Access-Control-Allow-Origin');
		// Computed once, before any credential is read: the refusals and the data answer carry them.
		const options = readProviderOptions(this);
		const cors = corsHeaders(readHeader(request.headers, 'origin'), readAllowedOrigins(options));
		const security = readSecurityPolicy(this);
		const blocked = guardRequest(this, ENDPOINT, { headers: cors }, 'allowlist', security);
		if (blocked) return blocked;
		let config: ServeConfig;
		try {
			config = await readServeConfig(this, options);
		} catch (error) {
			return answerMisconfigured(this, error, ENDPOINT);
		}
		const tokenKey = acceptedTokenKey(request.headers, config.access);
		const details = { tokenKey, headers: cors };
		const refused = guardRequest(this, ENDPOINT, details, 'rateLimit', security);
		if (refused) return refused;
		const published = readDataset(this.getWorkflowStaticData('node'));
		const dataRequest = { query: request.query, headers: request.headers };
		const answer = answerDataRequest(dataRequest, published, config, cors);
		writeAnswer(this, answer);
		if (answer.status >= 400) logRefusal(this, { reason: errorCode(answer) });
		return { noWebhookResponse: true };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const passThrough = items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
		const settings = readPublishSettings(this);
		addPlacementHint(this);

		const staticData = this.getWorkflowStaticData('node');
		const previous = readDataset(staticData);
		const request = { items: items.map((item) => item.json), settings };
		// A run without the stored dataset may be a queue-mode worker's, which n8n starts without the
		// workflow's static data and which would save over it: the webhook publishes instead. Manual
		// runs publish nothing; called workflows ("integrated") get their static data loaded.
		if (!previous && !RUNS_WITH_LOADED_DATA.has(this.getMode())) {
			const prepared = preparePublishRequest(request);
			if (prepared.kind === 'tooLarge') {
				return errorOutputOrThrow(this, items, tooLargeError(this, prepared));
			}
			if (prepared.kind === 'tooDeep') {
				return errorOutputOrThrow(this, items, tooDeepError(this, prepared.maxDepth));
			}
			const sent = await publishThroughWebhook(this, prepared.request);
			if (sent.kind !== 'receipt') {
				return errorOutputOrThrow(this, items, sendFailureError(this, sent));
			}
			addPublishedHint(this, sent.receipt);
			return [passThrough];
		}

		const outcome = publishDataset(previous, request.items, settings, new Date());
		if (outcome.kind === 'tooDeep')
			return errorOutputOrThrow(this, items, tooDeepError(this, outcome.maxDepth));
		if (outcome.kind === 'tooLarge') {
			const { bytes, maxBytes } = outcome;
			const error = tooLargeError(this, { bytes, maxBytes, version: previous?.version ?? 0 });
			return errorOutputOrThrow(this, items, error);
		}
		if (this.getMode() === 'manual') {
			this.addExecutionHints({
				type: 'warning',
				location: 'outputPane',
				message: manualRunMessage(outcome),
			});
			return [passThrough];
		}
		if (outcome.kind === 'published') writeDataset(staticData, outcome.dataset);
		addPublishedHint(this, receiptOf(outcome.kind, outcome.dataset, outcome.bytes));
		return [passThrough];
	}
}
