import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { webhookContext } from '../../support/n8nContexts';

const trigger = new FlowWebhookTrigger();

/** An unsigned delivery of event `id` to trigger node `nodeId`, in `mode`. */
const deliver = (id: string, nodeId: string, mode = 'webhook') =>
	webhookContext(trigger, {
		parameters: { verification: 'none' },
		request: {
			headers: { 'content-type': 'application/json' },
			rawBody: Buffer.from(JSON.stringify({ id, type: 'x' })),
		},
		nodeId,
		mode,
	});

async function acceptAndStore(id: string, nodeId: string, mode = 'webhook'): Promise<void> {
	const accepted = deliver(id, nodeId, mode);
	await trigger.webhook.call(accepted.context);
	accepted.finishExchange(202);
}

describe('the duplicate record of this process', () => {
	it('is kept per trigger node: an id one node stored is no duplicate for another', async () => {
		await acceptAndStore('evt_one_node', 'record-node-a');
		const sameNode = deliver('evt_one_node', 'record-node-a');
		await trigger.webhook.call(sameNode.context);
		expect(sameNode.response).toMatchObject({ status: 200, body: { duplicate: true } });

		const otherNode = deliver('evt_one_node', 'record-node-b');
		const result = await trigger.webhook.call(otherNode.context);
		expect(result.webhookResponse).toEqual({ received: true, id: 'evt_one_node' });
	});

	it('keeps test-URL events apart from production ones', async () => {
		await acceptAndStore('evt_listened', 'record-node-c', 'manual');
		const production = deliver('evt_listened', 'record-node-c');
		const result = await trigger.webhook.call(production.context);
		expect(result.webhookResponse).toEqual({ received: true, id: 'evt_listened' });
	});
});
