import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { PERSIST_WEBHOOK } from '../../../../nodes/FlowWebhookTrigger/persistWebhook';
import { channelSecret } from '../../../../lib/signing/channelSecret';
import { signedPersistRequest } from '../../../../lib/store/persistChannel';
import { eventKey } from '../../../../lib/store/eventKeys';
import { webhookContext } from '../../support/n8nContexts';
import { whsec } from '../../../support/events.cjs';

const secret = whsec('guard test signing material 32 b');
const trigger = new FlowWebhookTrigger();

/** A request the node answers; `credentialReads` records each credential it would decrypt. */
function call(options: { security?: object; nodeId: string; ip?: string; webhookName?: string }) {
	return webhookContext(trigger, {
		parameters: { verification: 'standardWebhooks', security: options.security ?? {} },
		credentials: { secret },
		request: {
			headers: { 'content-type': 'application/json' },
			rawBody: Buffer.from('{"type":"x"}'),
			ip: options.ip,
		},
		nodeId: options.nodeId,
		webhookName: options.webhookName,
	});
}

describe('the Security options come before the credential', () => {
	it('answers a sender outside the IP allowlist 403 without decrypting the credential', async () => {
		const blocked = call({ security: { ipAllowlist: '10.0.0.0/8' }, nodeId: 'allowlist-node' });
		expect(await trigger.webhook.call(blocked.context)).toEqual({ noWebhookResponse: true });
		expect(blocked.response).toMatchObject({
			status: 403,
			headers: { 'cache-control': 'no-store' },
			body: {
				error: 'ip_not_allowed',
				message: 'Requests from this address are not allowed here.',
			},
			ended: true,
		});
		expect(blocked.credentialReads).toEqual([]);

		const allowed = call({
			security: { ipAllowlist: '10.0.0.0/8' },
			nodeId: 'allowlist-node',
			ip: '10.1.2.3',
		});
		await trigger.webhook.call(allowed.context);
		expect(allowed.credentialReads).toContain('webhookSigningSecretApi');
	});

	it('answers a sender over the rate limit 429 without decrypting the credential', async () => {
		const security = { rateLimitRequests: 1 };
		const first = call({ security, nodeId: 'limited-node' });
		await trigger.webhook.call(first.context);
		expect(first.credentialReads).toContain('webhookSigningSecretApi');
		const over = call({ security, nodeId: 'limited-node' });
		expect(await trigger.webhook.call(over.context)).toEqual({ noWebhookResponse: true });
		expect(over.response).toMatchObject({
			status: 429,
			headers: { 'retry-after': expect.any(String) },
			body: { error: 'rate_limited' },
		});
		expect(over.credentialReads).toEqual([]);
	});

	it('reads the secret once for a flood of forged persists, and still saves a signed persist from the same address', async () => {
		const nodeId = 'persist-flood-node';
		const persist = (headers: Record<string, string>, body = '{"ids":[]}') =>
			webhookContext(trigger, {
				credentials: { secret },
				credentialId: 'persist-flood-credential',
				request: { headers, rawBody: Buffer.from(body), ip: '10.0.0.1' },
				nodeId,
				webhookName: PERSIST_WEBHOOK,
			});
		const forged = Array.from({ length: 50 }, () =>
			persist({ 'content-type': 'application/json' }),
		);
		await Promise.all(forged.map(({ context }) => trigger.webhook.call(context)));
		expect(new Set(forged.map(({ response }) => response.status))).toEqual(new Set([401]));
		expect(forged.flatMap(({ credentialReads }) => credentialReads)).toHaveLength(1);

		const now = Math.floor(Date.now() / 1000);
		const key = channelSecret(secret, 'persist', 'workflow-1', nodeId);
		const signed = signedPersistRequest(
			new Map([[eventKey('msg_saved'), now]]),
			key,
			'persist_1',
			now,
		);
		const genuine = persist(signed.headers, signed.body);
		expect(await trigger.webhook.call(genuine.context)).toEqual({
			webhookResponse: { saved: true },
		});
		expect(genuine.staticData.seenEventKeys).toBe(
			`${Math.ceil(now / 60)} 0:${eventKey('msg_saved')}`,
		);
	});
});
