import { FlowWebhookTrigger } from '../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { configuredOutputs } from '../../../nodes/FlowWebhookTrigger/description/outputs';
import { signWebhook } from '../../../lib/signing';
import { fakeWebhookContext } from '../support/fakeWebhookContext';

const signer = 'whsec_' + Buffer.from('node test signing material 32 b!').toString('base64');
const trigger = new FlowWebhookTrigger();

function signedRequest(event: object, id = 'msg_node_1') {
	const body = JSON.stringify(event);
	const headers = signWebhook({
		scheme: { kind: 'standardWebhooks' },
		secret: signer,
		body,
		id,
		timestamp: Math.floor(Date.now() / 1000),
	});
	return {
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(body),
	};
}

const signedParameters = {
	verification: 'standardWebhooks',
	eventTypes: [],
	customEventTypes: '',
	routeByEventType: false,
	options: {},
};

describe('Flow Webhook Trigger node', () => {
	it('answers 202 and hands the normalised event to the workflow', async () => {
		const { context, response } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: signedRequest({ event: 'flow.start', session_id: 's1' }),
		});
		const result = await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 202, body: { received: true, id: 'msg_node_1' } });
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData).toEqual([
			[
				{
					json: expect.objectContaining({ id: 'msg_node_1', event: 'flow.start', sessionId: 's1' }),
				},
			],
		]);
	});

	it('reads the raw body itself when n8n did not', async () => {
		const request = signedRequest({ type: 'x' });
		const { context, response } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: { headers: request.headers, lazyBody: request.rawBody },
		});
		await trigger.webhook.call(context);
		expect(response.status).toBe(202);
	});

	it('answers 400 unreadable_body when n8n cannot hand over the body, instead of throwing', async () => {
		const { context, response, request } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: { headers: { 'content-type': 'multipart/form-data; boundary=x' } },
		});
		request.readRawBody = async () => {
			throw new Error('Request body stream was aborted or is not readable');
		};
		await expect(trigger.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 400, body: { error: 'unreadable_body' } });
		expect(JSON.stringify(response.body)).not.toMatch(/stream|aborted/);
	});

	it('refuses a forged request without starting a run', async () => {
		const request = signedRequest({ type: 'x' });
		const { context, response } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: {
				secret: 'whsec_' + Buffer.from('some other secret of 32 bytes!!').toString('base64'),
			},
			request,
		});
		const result = await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('answers 500 misconfigured (and logs why) when the secret is unusable, instead of throwing', async () => {
		const { context, response, logged } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: 'whsec_***not base64***' },
			request: signedRequest({ type: 'x' }),
		});
		await expect(trigger.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(JSON.stringify(response.body)).not.toContain('not base64');
		expect(logged.join('\n')).toMatch(/misconfigured/);
	});

	it('keeps accepted ids in the workflow static data, so they survive restarts', async () => {
		const { context, staticData } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: signedRequest({ type: 'x' }, 'msg_persisted'),
		});
		await trigger.webhook.call(context);
		const stored = staticData.seenEventIds as unknown[];
		expect(stored).toEqual(['msg_persisted', expect.any(Number)]);
	});

	it('saves every id it accepted, even when the static data it got was loaded before an earlier save', async () => {
		// n8n loads static data per request and the last save wins: B was loaded before A's save.
		const first = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: signedRequest({ type: 'x' }, 'msg_a'),
			nodeId: 'shared-node',
		});
		const second = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: signedRequest({ type: 'x' }, 'msg_b'),
			nodeId: 'shared-node',
		});
		await trigger.webhook.call(first.context);
		await trigger.webhook.call(second.context);
		const stored = second.staticData.seenEventIds as unknown[];
		expect(stored.filter((entry) => typeof entry === 'string').sort()).toEqual(['msg_a', 'msg_b']);
	});

	it('puts back ids that another process saved over, on the next verified request only', async () => {
		const accepted = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: signedRequest({ type: 'x' }, 'msg_overwritten'),
			nodeId: 'overwritten-node',
		});
		await trigger.webhook.call(accepted.context);
		// Another process saved static data it loaded before this acceptance: the id is gone there.
		const lostStore = { seenEventIds: ['msg_theirs', Math.floor(Date.now() / 1000)] };
		const forged = fakeWebhookContext({
			parameters: signedParameters,
			credentials: {
				secret: 'whsec_' + Buffer.from('another secret, 32 bytes long!!').toString('base64'),
			},
			request: signedRequest({ type: 'x' }, 'msg_forged'),
			staticData: { ...lostStore },
			nodeId: 'overwritten-node',
		});
		await trigger.webhook.call(forged.context);
		expect(forged.response.status).toBe(401);
		expect(forged.staticData.seenEventIds).toEqual(lostStore.seenEventIds);

		const redelivery = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: signedRequest({ type: 'x' }, 'msg_overwritten'),
			staticData: { ...lostStore },
			nodeId: 'overwritten-node',
		});
		await trigger.webhook.call(redelivery.context);
		expect(redelivery.response).toMatchObject({ status: 200, body: { duplicate: true } });
		const stored = redelivery.staticData.seenEventIds as unknown[];
		expect(stored.filter((entry) => typeof entry === 'string').sort()).toEqual([
			'msg_overwritten',
			'msg_theirs',
		]);
	});

	it.each([
		['the stored form', ['msg_restart', Math.floor(Date.now() / 1000)]],
		["earlier versions' stored form", { '#msg_restart': Math.floor(Date.now() / 1000) }],
	])('drops a duplicate known only from the persisted store, in %s', async (_form, stored) => {
		const request = signedRequest({ type: 'x' }, 'msg_restart');
		const staticData = { seenEventIds: stored };
		const { context, response } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request,
			staticData,
		});
		const result = await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 200, body: { duplicate: true } });
		expect(result.workflowData).toBeUndefined();
	});

	it('routes to one output per event type, with "other" last', async () => {
		const parameters = {
			...signedParameters,
			verification: 'none',
			eventTypes: ['flow.start', 'flow.end'],
			customEventTypes: '*',
			routeByEventType: true,
		};
		const outputsFor = async (event: string) => {
			const { context } = fakeWebhookContext({
				parameters,
				request: {
					headers: { 'content-type': 'application/json' },
					rawBody: Buffer.from(JSON.stringify({ event })),
				},
			});
			const result = await trigger.webhook.call(context);
			return result.workflowData?.map((items) => items.length);
		};
		expect(await outputsFor('flow.end')).toEqual([0, 1, 0]);
		expect(await outputsFor('anything.else')).toEqual([0, 0, 1]);
	});

	it('includes headers only when asked, never the signature', async () => {
		const { context } = fakeWebhookContext({
			parameters: {
				...signedParameters,
				options: { includeHeaders: true, includeReceivedAt: false },
			},
			credentials: { secret: signer },
			request: signedRequest({ type: 'x' }, 'msg_headers'),
		});
		const result = await trigger.webhook.call(context);
		const json = result.workflowData?.[0][0].json as Record<string, unknown>;
		expect(json.headers).toMatchObject({ 'webhook-id': 'msg_headers' });
		expect(json.headers).not.toHaveProperty('webhook-signature');
		expect(json).not.toHaveProperty('receivedAt');
	});
});

describe('the trigger outputs in the editor', () => {
	it('is one plain output by default', () => {
		expect(configuredOutputs({})).toEqual(['main']);
	});

	it('names one output per selected type plus "other"', () => {
		expect(configuredOutputs({ routeByEventType: true, eventTypes: ['flow.end'] })).toEqual([
			{ type: 'main', displayName: 'flow.end' },
			{ type: 'main', displayName: 'other' },
		]);
	});

	it('uses the four flow events when none is selected', () => {
		expect(configuredOutputs({ routeByEventType: true, eventTypes: [] })).toHaveLength(5);
	});
});
