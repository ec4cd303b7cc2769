import type { IDataObject, INodeType } from 'n8n-workflow';

import { PUBLISH_WEBHOOK } from '../../../nodes/ExternalDataProvider/publishing/protocol';
import { fakeWebhookContext } from './providerContexts';

/** What one request does: reach the webhook, fail to connect, answer a status without running it, or run it and lose the answer. */
export type Delivery = 'reach' | 'refuseConnection' | number | 'loseAnswer';

/**
 * Stands in for an n8n webhook process: `client`, used in place of fetch, runs the node's webhook()
 * for each POST over `stored`, the node's static data as the database holds it. `deliveries` scripts the
 * requests in order; once it runs out, every request reaches the webhook.
 */
export function fakeWebhookProcess(
	node: INodeType,
	options: {
		stored?: IDataObject;
		/** The publish key the webhook process reads from the node's credential. */
		publishKey?: string;
		deliveries?: Delivery[];
		/** The node's parameters as the webhook reads them. */
		parameters?: Record<string, unknown>;
	} = {},
) {
	const stored = options.stored ?? {};
	const deliveries = [...(options.deliveries ?? [])];
	const requests: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
	const client = (async (input: string | URL | Request, init?: RequestInit) => {
		const request = {
			url: String(input),
			headers: init?.headers as Record<string, string>,
			body: String(init?.body),
		};
		requests.push(request);
		const delivery = deliveries.shift() ?? 'reach';
		if (delivery === 'refuseConnection') {
			throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
		}
		if (typeof delivery === 'number') return new Response('{}', { status: delivery });
		const { context, response } = fakeWebhookContext({
			webhookName: PUBLISH_WEBHOOK,
			method: 'POST',
			headers: request.headers,
			rawBody: Buffer.from(request.body),
			staticData: stored,
			publishKey: options.publishKey,
			parameters: options.parameters,
		});
		const result = await node.webhook!.call(context);
		if (delivery === 'loseAnswer')
			throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
		if (result.webhookResponse !== undefined) {
			return new Response(JSON.stringify(result.webhookResponse), { status: 200 });
		}
		return new Response(JSON.stringify(response.body), { status: response.status });
	}) as typeof fetch;
	return { stored, requests, client };
}
