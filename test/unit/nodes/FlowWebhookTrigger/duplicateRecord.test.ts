import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { PERSIST_WEBHOOK } from '../../../../nodes/FlowWebhookTrigger/persistWebhook';
import { channelSecret } from '../../../../lib/signing/channelSecret';
import { signedPersistRequest } from '../../../../lib/store/persistChannel';
import { eventKey, packKeys } from '../../../../lib/store/eventKeys';
import { INSTANCE_ID, webhookContext } from '../../support/n8nContexts';

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

describe('a trigger that verifies nothing', () => {
	const now = () => Math.floor(Date.now() / 1000);

	it('saves no record: its persist webhook refuses even a request signed with what members can read', async () => {
		// The instance id is in every logged-in user's /rest/settings.
		const key = channelSecret(INSTANCE_ID, 'persist', 'workflow-1', 'unsaved-node');
		const forever = now() + 10 * 365 * 24 * 3600;
		const { body, headers } = signedPersistRequest(
			new Map([[eventKey('evt_real'), forever]]),
			key,
			'p_1',
			now(),
		);
		const forged = webhookContext(trigger, {
			parameters: { verification: 'none' },
			request: { headers, rawBody: Buffer.from(body) },
			nodeId: 'unsaved-node',
			webhookName: PERSIST_WEBHOOK,
		});
		expect(await trigger.webhook.call(forged.context)).toEqual({ noWebhookResponse: true });
		expect(forged.response).toMatchObject({ status: 403, body: { error: 'not_saved' } });
		expect(forged.staticData).toEqual({});

		const delivery = deliver('evt_real', 'unsaved-node');
		const result = await trigger.webhook.call(delivery.context);
		expect(result.webhookResponse).toEqual({ received: true, id: 'evt_real' });
	});

	it('recognises duplicates in memory, ignores ids found in the static data and writes none', async () => {
		const planted = new Map([[eventKey('evt_planted'), now() + 10 * 365 * 24 * 3600]]);
		const stored = { seenEventKeys: packKeys(planted), seenEventKeysRevision: 'planted' };
		const withStore = (id: string) =>
			webhookContext(trigger, {
				parameters: { verification: 'none' },
				request: {
					headers: { 'content-type': 'application/json' },
					rawBody: Buffer.from(JSON.stringify({ id, type: 'x' })),
				},
				nodeId: 'memory-node',
				staticData: { ...stored },
			});
		const first = withStore('evt_planted');
		expect((await trigger.webhook.call(first.context)).webhookResponse).toEqual({
			received: true,
			id: 'evt_planted',
		});
		first.finishExchange(202);
		const again = withStore('evt_planted');
		await trigger.webhook.call(again.context);
		expect(again.response).toMatchObject({ status: 200, body: { duplicate: true } });
		expect(again.staticData).toEqual(stored);
	});
});
