import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { writeAnswer } from '../../lib/n8n/respond';

export class ExternalDataProvider implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'External Data Provider',
		name: 'externalDataProvider',
		icon: { light: 'file:externalDataProvider.svg', dark: 'file:externalDataProvider.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{"GET /" + $parameter["path"]}}',
		description: 'Publish the items that reach it at a GET URL that external apps can poll',
		defaults: { name: 'External Data Provider' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: '={{$parameter["path"]}}', isFullPath: true },
		],
		properties: [
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				required: true,
				default: 'data',
				description: 'The last part of the data URL: &lt;n8n URL&gt;/webhook/&lt;path&gt;',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		writeAnswer(this, { status: 200, body: { data: [], meta: {} } });
		return { noWebhookResponse: true };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
	}
}
