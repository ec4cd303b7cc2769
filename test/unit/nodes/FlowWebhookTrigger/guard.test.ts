import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { PERSIST_WEBHOOK } from '../../../../nodes/FlowWebhookTrigger/duplicateRecord';
import { INTERNAL_REFUSALS } from '../../../../lib/n8n/refusalLimit';
import { fakeWebhookContext } from '../../support/fakeWebhookContext';

const secret = 'whsec_' + Buffer.from('guard test signing material 32 b').toString('base64');
const trigger = new FlowWebhookTrigger();

const parameters = (security: object) => ({
	verification: 'standardWebhooks',
	eventTypes: [],
	customEventTypes: '',
	routeByEventType: false,
	options: {},
	security,
});

/** A request the node answers, with a spy on the credential it would decrypt. */
function call(options: { security?: object; nodeId: string; ip?: string; webhookName?: string }) {
	const fake = fakeWebhookContext({
		parameters: parameters(options.security ?? {}),
		credentials: { secret },
		request: {
			headers: { 'content-type': 'application/json' },
			rawBody: Buffer.from('{"type":"x"}'),
			ip: options.ip,
		},
		nodeId: options.nodeId,
		webhookName: options.webhookName,
	});
	const getCredentials = jest.spyOn(fake.context, 'getCredentials');
	return { ...fake, getCredentials };
}

describe('the Security options come before the credential', () => {
	it('answers a sender outside the IP allowlist 403 without decrypting the credential', async () => {
		const blocked = call({ security: { ipAllowlist: '10.0.0.0/8' }, nodeId: 'allowlist-node' });
		expect(await trigger.webhook.call(blocked.context)).toEqual({ noWebhookResponse: true });
		expect(blocked.response).toEqual({
			status: 403,
			headers: { 'cache-control': 'no-store' },
			body: {
				error: 'ip_not_allowed',
				message: 'Requests from this address are not allowed here.',
			},
			ended: true,
		});
		expect(blocked.getCredentials).not.toHaveBeenCalled();

		const allowed = call({
			security: { ipAllowlist: '10.0.0.0/8' },
			nodeId: 'allowlist-node',
			ip: '10.1.2.3',
		});
		await trigger.webhook.call(allowed.context);
		expect(allowed.getCredentials).toHaveBeenCalled();
	});

	it('answers a sender over the rate limit 429 without decrypting the credential', async () => {
		const security = { rateLimitRequests: 1 };
		const first = call({ security, nodeId: 'limited-node' });
		await trigger.webhook.call(first.context);
		expect(first.getCredentials).toHaveBeenCalled();
		const over = call({ security, nodeId: 'limited-node' });
		expect(await trigger.webhook.call(over.context)).toEqual({ noWebhookResponse: true });
		expect(over.response).toMatchObject({
			status: 429,
			headers: { 'retry-after': expect.any(String) },
			body: { error: 'rate_limited' },
		});
		expect(over.getCredentials).not.toHaveBeenCalled();
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
		expect(limited.getCredentials).not.toHaveBeenCalled();
	});
});
