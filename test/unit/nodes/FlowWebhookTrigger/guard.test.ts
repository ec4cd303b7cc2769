import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { PERSIST_WEBHOOK } from '../../../../nodes/FlowWebhookTrigger/duplicateRecord';
import { INTERNAL_REFUSALS } from '../../../../lib/n8n/refusalLimit';
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

	it('answers an address that used up its refusals on the persist webhook 429 without decrypting the credential', async () => {
		const unsigned = () => call({ nodeId: 'persist-flood-node', webhookName: PERSIST_WEBHOOK });
		for (let index = 0; index < INTERNAL_REFUSALS.maxRequests; index++) {
			const refused = unsigned();
			await trigger.webhook.call(refused.context);
			expect(refused.response).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
		}
		const limited = unsigned();
		expect(await trigger.webhook.call(limited.context)).toEqual({ noWebhookResponse: true });
		expect(limited.response).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
		expect(limited.credentialReads).toEqual([]);
	});
});
