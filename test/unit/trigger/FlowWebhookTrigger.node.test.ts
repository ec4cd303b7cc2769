import { FlowWebhookTrigger } from '../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { configuredOutputs } from '../../../nodes/FlowWebhookTrigger/description/outputs';
import { channelSecret, signWebhook } from '../../../lib/signing';
import { signedPersistRequest as signPersist } from '../../../lib/store/persistChannel';
import { PERSIST_WEBHOOK } from '../../../nodes/FlowWebhookTrigger/duplicateRecord';
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

/** A signed delivery of event `id` to the trigger node `nodeId`. */
const deliver = (id: string, nodeId: string) =>
	fakeWebhookContext({
		parameters: signedParameters,
		credentials: { secret: signer },
		request: signedRequest({ type: 'x' }, id),
		nodeId,
	});

/** An event n8n has stored a run for and answered 202, as far as the trigger node `nodeId` knows. */
async function acceptAndStore(id: string, nodeId: string): Promise<void> {
	const accepted = deliver(id, nodeId);
	await trigger.webhook.call(accepted.context);
	accepted.finishExchange(202);
}

describe('Flow Webhook Trigger node', () => {
	it('leaves the 202 to n8n, which sends it once the run is stored, and hands the event to the workflow', async () => {
		const { context, response } = fakeWebhookContext({
			parameters: signedParameters,
			credentials: { secret: signer },
			request: signedRequest({ event: 'flow.start', session_id: 's1' }),
		});
		const result = await trigger.webhook.call(context);
		expect(response).toEqual({ headers: {}, ended: false });
		expect(trigger.description.webhooks?.[0]).toMatchObject({
			responseCode: 202,
			responseData: '',
		});
		expect(result.noWebhookResponse).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, id: 'msg_node_1' });
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
		const result = await trigger.webhook.call(context);
		expect(response.status).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, id: 'msg_node_1' });
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

	describe('an id is remembered only once n8n stored its run', () => {
		it('answers a delivery of an event n8n is still storing 409, then 200 duplicate once stored', async () => {
			const first = deliver('msg_storing', 'storing-node');
			await trigger.webhook.call(first.context);
			const during = deliver('msg_storing', 'storing-node');
			expect(await trigger.webhook.call(during.context)).toEqual({ noWebhookResponse: true });
			expect(during.response).toMatchObject({
				status: 409,
				headers: { 'retry-after': '1' },
				body: { error: 'delivery_in_progress' },
			});
			first.finishExchange(202);
			const after = deliver('msg_storing', 'storing-node');
			await trigger.webhook.call(after.context);
			expect(after.response).toMatchObject({ status: 200, body: { duplicate: true } });
		});

		it.each([
			['n8n could not store the run (500)', 500],
			['the sender hung up before the answer', null],
		])('runs a redelivery again when %s', async (_case, status) => {
			const nodeId = `failed-${status}`;
			const first = deliver('msg_failed', nodeId);
			await trigger.webhook.call(first.context);
			first.finishExchange(status);
			const redelivery = deliver('msg_failed', nodeId);
			const result = await trigger.webhook.call(redelivery.context);
			expect(result.webhookResponse).toEqual({ received: true, id: 'msg_failed' });
		});

		it('never puts an id whose run is still being stored into what another request saves', async () => {
			const storing = deliver('msg_unsure', 'unsure-node');
			await trigger.webhook.call(storing.context);
			expect(storing.staticData).toEqual({});
			const stored = deliver('msg_stored', 'unsure-node');
			await trigger.webhook.call(stored.context);
			stored.finishExchange(202);
			// A redelivery finds the store without the stored id, and writes what is known for sure.
			const redelivery = deliver('msg_stored', 'unsure-node');
			await trigger.webhook.call(redelivery.context);
			const saved = redelivery.staticData.seenEventIds as unknown[];
			expect(saved.filter((entry) => typeof entry === 'string')).toEqual(['msg_stored']);
		});
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

	describe('the persist webhook, where stored ids are saved', () => {
		const persistSecret = (nodeId: string) =>
			channelSecret(signer, 'persist', 'workflow-1', nodeId);
		const persist = (
			ids: Array<string | number>,
			nodeId: string,
			secret = persistSecret(nodeId),
			staticData = {},
		) =>
			fakeWebhookContext({
				parameters: signedParameters,
				credentials: { secret: signer },
				request: signedPersistRequest(ids, secret, 'persist_1', Math.floor(Date.now() / 1000)),
				nodeId,
				staticData,
				webhookName: PERSIST_WEBHOOK,
			});
		const signedPersistRequest = (
			ids: Array<string | number>,
			secret: string,
			id: string,
			now: number,
		) => {
			const signed = signPersist(ids, secret, id, now);
			return { headers: signed.headers, rawBody: Buffer.from(signed.body) };
		};

		it('writes the posted ids into the static data and leaves the answer to n8n, which sends it after saving', async () => {
			const now = Math.floor(Date.now() / 1000);
			const call = persist(['msg_persisted', now], 'persist-node');
			const result = await trigger.webhook.call(call.context);
			expect(result).toEqual({ webhookResponse: { saved: true } });
			expect(call.response.status).toBeUndefined();
			expect(call.staticData.seenEventIds).toEqual(['msg_persisted', now]);
		});

		it('merges them with what this process stored and what the static data holds', async () => {
			await acceptAndStore('msg_mine', 'merging-node');
			const now = Math.floor(Date.now() / 1000);
			const call = persist(['msg_posted', now], 'merging-node', undefined, {
				seenEventIds: ['msg_theirs', now],
			});
			await trigger.webhook.call(call.context);
			const saved = call.staticData.seenEventIds as unknown[];
			expect(saved.filter((entry) => typeof entry === 'string').sort()).toEqual([
				'msg_mine',
				'msg_posted',
				'msg_theirs',
			]);
		});

		it("refuses ids signed with another node's key, writing nothing", async () => {
			const now = Math.floor(Date.now() / 1000);
			const call = persist(['msg_forged', now], 'guarded-node', persistSecret('other-node'));
			expect(await trigger.webhook.call(call.context)).toEqual({ noWebhookResponse: true });
			expect(call.response).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
			expect(call.staticData).toEqual({});
		});
	});

	it('puts back ids that another process saved over, on the next verified request only', async () => {
		await acceptAndStore('msg_overwritten', 'overwritten-node');
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
