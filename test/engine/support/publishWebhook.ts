import type { IDataObject } from 'n8n-workflow';

import { ExternalDataProvider } from '../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { PUBLISH_WEBHOOK } from '../../../nodes/ExternalDataProvider/publishing/protocol';
import { webhookProcess } from '../../unit/support/n8nContexts';
import type { Receiver } from './receiver.cjs';

const provider = new ExternalDataProvider();

/** n8n's production URL path of a provider node's publish webhook. */
export const publishPath = (webhookId: string) => `/webhook/${webhookId}/publish`;

/**
 * Serves the publish webhook of the provider node `node` on the receiver, at n8n's production
 * webhook URL; the webhook request itself runs through the fake webhook context. Returns the
 * node's static data as the database holds it, where the webhook stores what it accepts.
 */
export function servePublishWebhook(
	receiver: Receiver,
	node: { id: string; webhookId: string },
	options: Omit<Parameters<typeof webhookProcess>[2], 'nodeId'> = {},
): IDataObject {
	const served = webhookProcess(provider, PUBLISH_WEBHOOK, { nodeId: node.id, ...options });
	const path = publishPath(node.webhookId);
	receiver.on(path, async (request) => {
		const response = await served.client(receiver.url(path), {
			method: 'POST',
			headers: request.headers,
			body: request.body,
		});
		return { status: response.status, body: await response.text() };
	});
	return served.stored;
}

/** The data a provider node published, from its static data; undefined before its first publish. */
export function published(stored: IDataObject): unknown {
	const dataset = stored.dataset as { json: string } | undefined;
	return dataset && JSON.parse(dataset.json);
}
