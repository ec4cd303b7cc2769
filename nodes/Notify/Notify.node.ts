import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { testWebhookSigningSecret } from '../../credentials/WebhookSigningSecretApi.credentialTest';
import { SIGNED_SCHEMES } from '../../lib/n8n/schemeProperties';

import { readRunSettings } from './config';
import { destinationProperties } from './description/destinations';
import { eventProperties } from './description/event';
import { operationProperties } from './description/operation';
import { optionProperties } from './description/options';
import { RETRY_LATER_OUTPUTS, retryProperties } from './description/retries';
import { signingProperties } from './description/signing';
import { inRunOutput, retryLaterOutputs } from './outputs';
import { deliverAll, planEvents } from './run';

export class Notify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Notify',
		name: 'notify',
		icon: { light: 'file:notify.svg', dark: 'file:notify.dark.svg' },
		group: ['output'],
		// 2 signs with each scheme's secret read as its receivers' libraries read it (SECRETS_PER_SENDER_VERSION).
		version: [1, 2],
		subtitle:
			'={{ ($parameter["operation"] === "sendTestEvent" ? "test event · " : "") + ({ customHmac: "custom HMAC", github: "GitHub style", none: "unsigned", standardWebhooks: "Standard Webhooks", stripe: "Stripe style" })[$parameter["signing"]] }}',
		description:
			'Sends each item as a signed event to up to five URLs, with retries and a report of every delivery',
		documentationUrl:
			'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks/blob/main/docs/notify.md',
		defaults: { name: 'Notify' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: RETRY_LATER_OUTPUTS,
		credentials: [
			{
				name: 'webhookSigningSecretApi',
				required: true,
				testedBy: 'webhookSigningSecretTest',
				displayOptions: { show: { signing: SIGNED_SCHEMES } },
			},
		],
		properties: [
			...operationProperties,
			...eventProperties,
			...retryProperties,
			...signingProperties,
			...destinationProperties,
			...optionProperties,
		],
	};

	methods = {
		credentialTest: { webhookSigningSecretTest: testWebhookSigningSecret },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const settings = await readRunSettings(this);
		// Everything is read and validated before the first request, so a configuration error sends nothing.
		const plan = planEvents(this, settings);
		const outcomes = await deliverAll(this, plan, settings);
		return settings.retryMode === 'retryLater'
			? retryLaterOutputs(this, outcomes, settings)
			: [inRunOutput(this, outcomes)];
	}
}
