import type {
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
	WebhookType,
} from 'n8n-workflow';

import { publishSigningSecret, receivePublish } from '../../lib/dataset/publishChannel';
import { rawRequestBody, UNREADABLE_BODY } from '../../lib/n8n/rawBody';
import { refuseRequest } from '../../lib/n8n/security';

import { storeDataset, storedDataset, storedLedger, storeLedger } from './storage';

/**
 * The publish webhook's name. n8n's type allows only "default" and "setup" (a name without special
 * meaning in n8n), so it takes "setup".
 */
export const PUBLISH_WEBHOOK: WebhookType = 'setup';

/** Served at <webhook URL>/<node webhook id>/publish: a path no other workflow can hold. */
export const PUBLISH_PATH = 'publish';

/** The key publish requests of this node are signed with; the run and the webhook derive the same. */
export function publishSecret(context: IExecuteFunctions | IWebhookFunctions): string {
	return publishSigningSecret(
		context.getInstanceId(),
		context.getWorkflow().id ?? '',
		context.getNode().id,
	);
}

/**
 * Publishes what a run sent to the node's own webhook. n8n loaded the workflow's stored static
 * data for this request and saves it when the request ends, so the publish builds on the stored
 * dataset and leaves what other nodes keep as it is. The data endpoint's Security options guard
 * readers; this request is guarded by its signature instead.
 */
export async function acceptPublish(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const rawBody = await rawRequestBody(context);
	if (!rawBody) return refuseRequest(context, UNREADABLE_BODY);
	const staticData = context.getWorkflowStaticData('node');
	const applied = receivePublish(
		{ headers: context.getRequestObject().headers, rawBody },
		publishSecret(context),
		{ dataset: storedDataset(staticData), ledger: storedLedger(staticData) },
		new Date(),
	);
	if (applied.answer.status >= 400) return refuseRequest(context, applied.answer);
	if (applied.dataset) storeDataset(staticData, applied.dataset);
	if (applied.ledger) storeLedger(staticData, applied.ledger);
	// Handed to n8n rather than written here: n8n answers only after it saved the static data.
	return { webhookResponse: applied.answer.body };
}
