import type {
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
	WebhookType,
} from 'n8n-workflow';

import {
	publishKeyProblem,
	publishSigningSecret,
	receivePublish,
} from '../../lib/dataset/publishChannel';
import { webhookCredentials } from '../../lib/n8n/credentialCache';
import { rawRequestBody, UNREADABLE_BODY } from '../../lib/n8n/rawBody';
import { answerMisconfigured } from '../../lib/n8n/respond';
import { limitRefusals } from '../../lib/n8n/refusalLimit';
import { refuseRequest } from '../../lib/n8n/security';

import { storeDataset, storedDataset, storedLedger, storeLedger } from './storage';

/**
 * The publish webhook's name. n8n's type allows only "default" and "setup" (a name without special
 * meaning in n8n), so it takes "setup".
 */
export const PUBLISH_WEBHOOK: WebhookType = 'setup';

/** Served at <webhook URL>/<node webhook id>/publish: a path no other workflow can hold. */
export const PUBLISH_PATH = 'publish';

/** The credential whose key signs this node's publish requests. */
export const PUBLISH_KEY_CREDENTIAL = 'dataProviderPublishKeyApi';

export type PublishSecret = { secret: string } | { problem: string };

/**
 * The key this node's publish requests are signed with, derived from its publish key credential,
 * which the run and the webhook both read (`read` reads a credential of the node); or why there is
 * none.
 */
export async function readPublishSecret(
	context: IExecuteFunctions | IWebhookFunctions,
	read: (type: string) => Promise<{ secret?: unknown }>,
): Promise<PublishSecret> {
	let credential: { secret?: unknown };
	try {
		credential = await read(PUBLISH_KEY_CREDENTIAL);
	} catch {
		return { problem: 'The node has no Data Provider Publish Key credential.' };
	}
	const publishKey = typeof credential.secret === 'string' ? credential.secret : '';
	const problem = publishKeyProblem(publishKey);
	if (problem) return { problem: `Data Provider Publish Key credential: ${problem}` };
	const workflowId = context.getWorkflow().id ?? '';
	return { secret: publishSigningSecret(publishKey, workflowId, context.getNode().id) };
}

/**
 * Publishes what a run sent to the node's own webhook. n8n loaded the workflow's stored static
 * data for this request and saves it when the request ends, so the publish builds on the stored
 * dataset and leaves what other nodes keep as it is. The data endpoint's Security options guard
 * readers; this request is guarded by its signature instead.
 */
export async function acceptPublish(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const refusals = limitRefusals(context, PUBLISH_PATH);
	if (refusals.limited) return refuseRequest(context, refusals.limited);
	const rawBody = await rawRequestBody(context);
	if (!rawBody) return refusals.refuse(UNREADABLE_BODY);
	const key = await readPublishSecret(
		context,
		async (type) => await webhookCredentials(context, type),
	);
	if ('problem' in key) {
		refusals.release();
		return answerMisconfigured(context, new Error(key.problem), 'publish webhook');
	}
	const staticData = context.getWorkflowStaticData('node');
	const applied = receivePublish(
		{ headers: context.getRequestObject().headers, rawBody },
		key.secret,
		{ dataset: storedDataset(staticData), ledger: storedLedger(staticData) },
		new Date(),
	);
	// Only unsigned or forged requests count against the address; a refused signed one is a run's.
	if (applied.answer.status === 401) return refusals.refuse(applied.answer);
	refusals.release();
	if (applied.answer.status >= 400) return refuseRequest(context, applied.answer);
	if (applied.dataset) storeDataset(staticData, applied.dataset);
	if (applied.ledger) storeLedger(staticData, applied.ledger);
	// Handed to n8n rather than written here: n8n answers only after it saved the static data.
	return { webhookResponse: applied.answer.body };
}
