import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	asPublishedDataset,
	formatSize,
	publishDataset,
	publishSettingsProblem,
	type PublishOutcome,
} from '../../lib/dataset/publish';
import { answerDataRequest, securityDetails, type ServeConfig } from '../../lib/dataset/serve';
import { errorCode } from '../../lib/http/answers';
import { runsInCalledWorkflow } from '../../lib/n8n/placement';
import { answerMisconfigured, writeAnswer } from '../../lib/n8n/respond';
import { guardRequest, logRefusal } from '../../lib/n8n/security';
import { parameterFields } from '../../lib/n8n/webhookFields';
import { userManagedWebhookMethods } from '../../lib/n8n/webhookMethods';

import { readPublishSettings, readServeConfig } from './config';
import { testDataProviderAccess } from './credentialTest';
import { accessProperties } from './description/access';
import { optionProperties } from './description/options';
import { publishingProperties } from './description/publishing';
import { securityProperties } from './description/security';

/** Where the published dataset lives in the node's static data. */
const DATASET_KEY = 'dataset';

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
			'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks#external-data-provider',
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
		],
		properties: [
			...publishingProperties,
			...accessProperties,
			...optionProperties,
			...securityProperties,
		],
	};

	methods = {
		credentialTest: { dataProviderAccessTest: testDataProviderAccess },
	};

	webhookMethods = userManagedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		// n8n has already set an Allow-Origin header by its own rules; this node's option decides.
		this.getResponseObject().removeHeader('Access-Control-Allow-Origin');
		let config: ServeConfig;
		try {
			config = await readServeConfig(this);
		} catch (error) {
			return answerMisconfigured(this, error, 'data endpoint');
		}
		const dataRequest = { query: request.query, headers: request.headers };
		const refused = guardRequest(this, 'data endpoint', securityDetails(dataRequest, config));
		if (refused) return refused;
		const published = asPublishedDataset(this.getWorkflowStaticData('node')[DATASET_KEY]);
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

		const staticData = this.getWorkflowStaticData('node');
		const previous = asPublishedDataset(staticData[DATASET_KEY]);
		const outcome = publishDataset(
			previous,
			items.map((item) => item.json),
			settings,
			new Date(),
		);
		if (outcome.kind === 'tooLarge') {
			const error = new NodeOperationError(
				this.getNode(),
				`The data is ${formatSize(outcome.bytes)} as JSON, over the ${formatSize(outcome.maxBytes)} limit, so it was not published`,
				{
					description: `GET requests keep getting the data published before (version ${previous?.version ?? 0}). Send fewer or smaller items to this node, or raise Max Dataset Size in its options.`,
				},
			);
			if (!this.continueOnFail()) throw error;
			return [
				[
					{
						json: { error: error.message },
						pairedItem: items.map((_, index) => ({ item: index })),
					},
				],
			];
		}

		if (this.getMode() === 'manual') {
			this.addExecutionHints({
				type: 'warning',
				location: 'outputPane',
				message: manualRunMessage(outcome),
			});
			return [passThrough];
		}
		if (outcome.kind === 'published')
			staticData[DATASET_KEY] = outcome.dataset as unknown as IDataObject;
		this.addExecutionHints({
			type: 'info',
			location: 'outputPane',
			message: publishedMessage(outcome),
		});
		if (!previous && !runsInCalledWorkflow(this.getParentNodes(this.getNode().name))) {
			this.addExecutionHints({ type: 'warning', location: 'outputPane', message: QUEUE_MODE_NOTE });
		}
		return [passThrough];
	}
}

/**
 * Shown when a run that a trigger started finds nothing published before: the first publish, or a
 * queue-mode worker, which starts such runs without the stored static data and saves over it.
 */
const QUEUE_MODE_NOTE =
	'No earlier data was found. If this is not the first publish and n8n runs in queue mode, workers start this workflow without its stored data and replace it when the run ends: Append starts over and data other nodes keep is lost. Put this node in a workflow started by "When Executed by Another Workflow" and call it with Execute Workflow (see "Running at scale" in the README).';

type Stored = Extract<PublishOutcome, { dataset: unknown }>;

function manualRunMessage({ dataset, bytes }: Stored): string {
	return `Nothing was published: n8n keeps no data from manual runs. Runs of the published workflow publish; this one would have published ${itemCount(dataset.total)} (${formatSize(bytes)}).`;
}

function publishedMessage({ kind, dataset, bytes }: Stored): string {
	if (kind === 'unchanged')
		return `The data is unchanged, so version ${dataset.version} stays published.`;
	return `Published ${itemCount(dataset.total)} (${formatSize(bytes)}) as version ${dataset.version}.`;
}

function itemCount(total: number): string {
	return total === 1 ? '1 item' : `${total} items`;
}
