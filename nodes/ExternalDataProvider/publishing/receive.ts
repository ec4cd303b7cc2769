import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { receivePublish, type PublishLedger } from '../../../lib/dataset/publishing/receive';
import { webhookCredentials } from '../../../lib/n8n/credentialCache';
import { rawRequestBody, UNREADABLE_BODY } from '../../../lib/n8n/rawBody';
import { answerMisconfigured } from '../../../lib/n8n/respond';
import { refuseRequest } from '../../../lib/n8n/security';

import { readPublishSecret } from '../config';
import { readDataset, writeDataset } from '../storage';

/**
 * Publishes what a run sent to the node's own webhook. n8n loaded the workflow's stored static
 * data for this request and saves it when the request ends, so the publish builds on the stored
 * dataset and leaves what other nodes keep as it is. The data endpoint's Security options guard
 * readers; this request is guarded by its signature alone. No count of other callers' forgeries
 * ever refuses a signed publish (behind a proxy they all share its address): the publish key is
 * read at most once per few seconds whoever calls (`webhookCredentials`).
 */
export async function answerPublishWebhook(
	context: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const rawBody = await rawRequestBody(context);
	if (!rawBody) return refuseRequest(context, UNREADABLE_BODY);
	let secret: string;
	try {
		secret = await readPublishSecret(
			context,
			async (type) => await webhookCredentials(context, type),
		);
	} catch (error) {
		return answerMisconfigured(context, error, 'publish webhook');
	}
	const staticData = context.getWorkflowStaticData('node');
	const received = receivePublish(
		{ headers: context.getRequestObject().headers, rawBody },
		secret,
		{ dataset: readDataset(staticData), ledger: readPublishLedger(staticData) },
		new Date(),
	);
	if (received.kind === 'unverified' || received.kind === 'refused') {
		return refuseRequest(context, received.answer);
	}
	if (received.kind === 'published') writeDataset(staticData, received.dataset);
	// An unchanged publish is remembered too: replayed after a later one, it would change the data.
	if (received.kind === 'published' || received.kind === 'unchanged') {
		writePublishLedger(staticData, received.ledger);
	}
	// Handed to n8n rather than written here: n8n answers only after it saved the static data.
	return { webhookResponse: received.answer.body };
}

/** Recent publishes through the webhook, kept in the node's static data beside the dataset. */
const LEDGER_KEY = 'publishLedger';

function readPublishLedger(staticData: IDataObject): PublishLedger | undefined {
	const ledger = staticData[LEDGER_KEY] as Partial<PublishLedger> | undefined;
	return Array.isArray(ledger?.recent) ? (ledger as PublishLedger) : undefined;
}

function writePublishLedger(staticData: IDataObject, ledger: PublishLedger): void {
	staticData[LEDGER_KEY] = ledger as unknown as IDataObject;
}
