import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { testDataProviderAccess } from '../../credentials/DataProviderAccessApi.credentialTest';
import { testDataProviderPublishKey } from '../../credentials/DataProviderPublishKeyApi.credentialTest';
import { publishDataset, publishSettingsProblem } from '../../lib/dataset/publish';
import { prepareWebhookPublish, receiptOf } from '../../lib/dataset/publishChannel';
import { corsHeaders } from '../../lib/dataset/cors';
import { answerDataRequest, securityDetails, type ServeConfig } from '../../lib/dataset/serve';
import { errorCode } from '../../lib/http/answers';
import { readHeader } from '../../lib/signing';
import { answerMisconfigured, writeAnswer } from '../../lib/n8n/respond';
import { guardRequest, logRefusal } from '../../lib/n8n/security';
import { parameterFields } from '../../lib/n8n/webhookFields';
import { userManagedWebhookMethods } from '../../lib/n8n/webhookMethods';

import { acceptPublish, PUBLISH_PATH, PUBLISH_WEBHOOK } from './acceptPublish';
import { readAllowedOrigins, readPublishSettings, readServeConfig } from './config';
import { accessProperties } from './description/access';
import { optionProperties } from './description/options';
import { publishingProperties } from './description/publishing';
import { securityProperties } from './description/security';
import {
	addPlacementHint,
	addPublishedHint,
	failPublish,
	manualRunMessage,
	routeError,
	tooDeepError,
	tooLargeError,
} from './publishReport';
import { publishThroughWebhook } from './publishRoute';
import { storeDataset, storedDataset } from './storage';

const RUNS_WITH_LOADED_DATA = new Set<WorkflowExecuteMode>(['manual', 'integrated']);

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
				// Runs without the stored dataset publish here (publishRoute.ts), under the node's own
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
		if (this.getWebhookName() === PUBLISH_WEBHOOK) return await acceptPublish(this);
		const request = this.getRequestObject();
		// n8n has already set an Allow-Origin header by its own rules; this node's option decides.
		this.getResponseObject().removeHeader('Access-Control-Allow-Origin');
		const cors = corsHeaders(readHeader(request.headers, 'origin'), readAllowedOrigins(this));
		const blocked = guardRequest(this, 'data endpoint', { headers: cors }, 'allowlist');
		if (blocked) return blocked;
		let config: ServeConfig;
		try {
			config = await readServeConfig(this);
		} catch (error) {
			return answerMisconfigured(this, error, 'data endpoint');
		}
		const dataRequest = { query: request.query, headers: request.headers };
		const details = securityDetails(dataRequest, config);
		const refused = guardRequest(this, 'data endpoint', details, 'rateLimit');
		if (refused) return refused;
		const published = storedDataset(this.getWorkflowStaticData('node'));
		const answer = answerDataRequest(dataRequest, published, config);
		writeAnswer(this, answer);
		if (answer.status >= 400) logRefusal(this, { reason: errorCode(answer) });
		return { noWebhookResponse: true };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const passThrough = items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
		const settings = readPublishSettings(this);
		const problem = publishSettingsProblem(settings);
		if (problem) throw new NodeOperationError(this.getNode(), problem);
		addPlacementHint(this);

		const staticData = this.getWorkflowStaticData('node');
		const previous = storedDataset(staticData);
		const request = { items: items.map((item) => item.json), settings };
		// A run without the stored dataset may be a queue-mode worker's, which n8n starts without the
		// workflow's static data and which would save over it: the webhook publishes instead. Manual
		// runs publish nothing; called workflows ("integrated") get their static data loaded.
		if (!previous && !RUNS_WITH_LOADED_DATA.has(this.getMode())) {
			const prepared = prepareWebhookPublish(request);
			if ('tooLarge' in prepared) {
				return failPublish(this, items, tooLargeError(this, prepared.tooLarge));
			}
			if ('tooDeep' in prepared) {
				return failPublish(this, items, tooDeepError(this, prepared.tooDeep.maxDepth));
			}
			const routed = await publishThroughWebhook(this, prepared.request);
			if (routed.kind !== 'receipt') return failPublish(this, items, routeError(this, routed));
			addPublishedHint(this, routed.receipt);
			return [passThrough];
		}

		const outcome = publishDataset(previous, request.items, settings, new Date());
		if (outcome.kind === 'tooDeep')
			return failPublish(this, items, tooDeepError(this, outcome.maxDepth));
		if (outcome.kind === 'tooLarge') {
			const { bytes, maxBytes } = outcome;
			const error = tooLargeError(this, { bytes, maxBytes, version: previous?.version ?? 0 });
			return failPublish(this, items, error);
		}
		if (this.getMode() === 'manual') {
			this.addExecutionHints({
				type: 'warning',
				location: 'outputPane',
				message: manualRunMessage(outcome),
			});
			return [passThrough];
		}
		if (outcome.kind === 'published') storeDataset(staticData, outcome.dataset);
		addPublishedHint(this, receiptOf(outcome.kind, outcome.dataset, outcome.bytes));
		return [passThrough];
	}
}
