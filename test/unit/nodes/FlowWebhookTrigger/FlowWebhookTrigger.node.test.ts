import { NodeOperationError } from 'n8n-workflow';

import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { configuredOutputs } from '../../../../nodes/FlowWebhookTrigger/description/outputs';
import { channelSecret } from '../../../../lib/signing/channelSecret';
import { schemeHeaders, type SignatureScheme } from '../../../../lib/signing/schemes';
import { eventKey, packKeys } from '../../../../lib/store/eventKeys';
import { signedPersistRequest as signPersist } from '../../../../lib/store/persistChannel';
import { PERSIST_WEBHOOK } from '../../../../nodes/FlowWebhookTrigger/persistWebhook';
import { savedEventIds, webhookContext, type FakeRequest } from '../../support/n8nContexts';
import { signedRequest, whsec } from '../../../support/events.cjs';

const signer = whsec('node test signing material 32 b!');
const trigger = new FlowWebhookTrigger();

/** A Standard Webhooks delivery of `event` signed with the node's secret, as event `id`. */
const signed = (event: object, id = 'msg_node_1') => signedRequest(event, { id, secret: signer });

/** A signed delivery of event `id` to the trigger node `nodeId`. */
const deliver = (id: string, nodeId: string) =>
	webhookContext(trigger, {
		credentials: { secret: signer },
		request: signed({ type: 'x' }, id),
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
		const { context, response } = webhookContext(trigger, {
			credentials: { secret: signer },
			request: signed({ event: 'flow.start', session_id: 's1' }),
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
		const request = signed({ type: 'x' });
		const { context, response } = webhookContext(trigger, {
			credentials: { secret: signer },
			request: { headers: request.headers, lazyBody: request.rawBody },
		});
		const result = await trigger.webhook.call(context);
		expect(response.status).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, id: 'msg_node_1' });
	});

	it('answers 400 unreadable_body when n8n cannot hand over the body, instead of throwing', async () => {
		const { context, response, request } = webhookContext(trigger, {
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
			expect(savedEventIds(redelivery.staticData, ['msg_stored', 'msg_unsure'])).toEqual([
				'msg_stored',
			]);
		});
	});

	it('refuses a forged request without starting a run', async () => {
		const request = signed({ type: 'x' });
		const { context, response } = webhookContext(trigger, {
			credentials: {
				secret: whsec('some other secret of 32 bytes!!'),
			},
			request,
		});
		const result = await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('answers 500 misconfigured (and logs why) when the secret is unusable, instead of throwing', async () => {
		const { context, response, logged } = webhookContext(trigger, {
			credentials: { secret: 'whsec_***not base64***' },
			request: signed({ type: 'x' }),
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
			ids: string[],
			nodeId: string,
			secret = persistSecret(nodeId),
			staticData = {},
		) =>
			webhookContext(trigger, {
				credentials: { secret: signer },
				request: signedPersistRequest(ids, secret, 'persist_1', Math.floor(Date.now() / 1000)),
				nodeId,
				staticData,
				webhookName: PERSIST_WEBHOOK,
			});
		const signedPersistRequest = (ids: string[], secret: string, id: string, now: number) => {
			const keys = new Map(ids.map((eventId) => [eventKey(eventId), now]));
			const signed = signPersist(keys, secret, id, now);
			return { headers: signed.headers, rawBody: Buffer.from(signed.body) };
		};

		it('writes the posted ids into the static data and leaves the answer to n8n, which sends it after saving', async () => {
			const minute = Math.ceil(Date.now() / 60_000);
			const call = persist(['msg_persisted'], 'persist-node');
			const result = await trigger.webhook.call(call.context);
			expect(result).toEqual({ webhookResponse: { saved: true } });
			expect(call.response.status).toBeUndefined();
			// One packed string of keys: n8n parses the whole static data on every request.
			expect(call.staticData.seenEventKeys).toBe(`${minute} 0:${eventKey('msg_persisted')}`);
		});

		it('merges them with what this process stored and what the static data holds', async () => {
			await acceptAndStore('msg_mine', 'merging-node');
			const now = Math.floor(Date.now() / 1000);
			const call = persist(['msg_posted'], 'merging-node', undefined, {
				seenEventIds: ['msg_theirs', now],
			});
			await trigger.webhook.call(call.context);
			const ids = ['msg_mine', 'msg_posted', 'msg_theirs'];
			expect(savedEventIds(call.staticData, ids).sort()).toEqual([
				'msg_mine',
				'msg_posted',
				'msg_theirs',
			]);
		});

		it("refuses ids signed with another node's key, writing nothing", async () => {
			const call = persist(['msg_forged'], 'guarded-node', persistSecret('other-node'));
			expect(await trigger.webhook.call(call.context)).toEqual({ noWebhookResponse: true });
			expect(call.response).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
			expect(call.staticData).toEqual({});
		});
	});

	it('puts back ids that another process saved over, on the next verified request only', async () => {
		await acceptAndStore('msg_overwritten', 'overwritten-node');
		// Another process saved static data it loaded before this acceptance: the id is gone there.
		const theirs = new Map([[eventKey('msg_theirs'), Math.floor(Date.now() / 1000)]]);
		const lostStore = { seenEventKeys: packKeys(theirs) };
		const forged = webhookContext(trigger, {
			credentials: {
				secret: whsec('another secret, 32 bytes long!!'),
			},
			request: signed({ type: 'x' }, 'msg_forged'),
			staticData: { ...lostStore },
			nodeId: 'overwritten-node',
		});
		await trigger.webhook.call(forged.context);
		expect(forged.response.status).toBe(401);
		expect(forged.staticData).toEqual(lostStore);

		const redelivery = webhookContext(trigger, {
			credentials: { secret: signer },
			request: signed({ type: 'x' }, 'msg_overwritten'),
			staticData: { ...lostStore },
			nodeId: 'overwritten-node',
		});
		await trigger.webhook.call(redelivery.context);
		expect(redelivery.response).toMatchObject({ status: 200, body: { duplicate: true } });
		const ids = ['msg_overwritten', 'msg_theirs'];
		expect(savedEventIds(redelivery.staticData, ids).sort()).toEqual(ids);
	});

	const restartedAt = Math.floor(Date.now() / 1000);
	it.each([
		['packed keys', { seenEventKeys: packKeys(new Map([[eventKey('msg_restart'), restartedAt]])) }],
		["the previous version's packed ids", { seenEventIds: `${restartedAt}\n0 msg_restart` }],
		["earlier versions' flat list", { seenEventIds: ['msg_restart', restartedAt] }],
		["the first versions' keyed form", { seenEventIds: { '#msg_restart': restartedAt } }],
	])('drops a duplicate known only from the persisted store, in %s', async (_form, staticData) => {
		const request = signed({ type: 'x' }, 'msg_restart');
		const { context, response } = webhookContext(trigger, {
			credentials: { secret: signer },
			request,
			staticData,
		});
		const result = await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 200, body: { duplicate: true } });
		expect(result.workflowData).toBeUndefined();
	});

	it("rewrites an earlier build's stored ids once, packed and with a revision, on a verified request that starts no run", async () => {
		const now = Math.floor(Date.now() / 1000);
		const { context, response, staticData } = webhookContext(trigger, {
			credentials: { secret: signer },
			request: signed({ type: 'x' }, 'msg_listed'),
			staticData: { seenEventIds: ['msg_listed', now] },
			nodeId: 'unrevisioned-node',
		});
		await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 200, body: { duplicate: true } });
		// Without a revision every request would read the list again; with one, none does.
		expect(staticData.seenEventKeys).toBe(`${Math.ceil(now / 60)} 0:${eventKey('msg_listed')}`);
		expect(typeof staticData.seenEventKeysRevision).toBe('string');
		expect(staticData.seenEventIds).toBeUndefined();
	});

	it('routes to one output per event type, with "other" last', async () => {
		const parameters = {
			verification: 'none',
			eventTypes: ['flow.start', 'flow.end'],
			customEventTypes: '*',
			routeByEventType: true,
		};
		const outputsFor = async (event: string) => {
			const { context } = webhookContext(trigger, {
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
		const { context } = webhookContext(trigger, {
			parameters: {
				options: { includeHeaders: true, includeReceivedAt: false },
			},
			credentials: { secret: signer },
			request: signed({ type: 'x' }, 'msg_headers'),
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

describe('while the editor listens for a test event (the test URL, manual mode)', () => {
	const asText = whsec(signer);
	const json = { 'content-type': 'application/json' };
	const refusals: Array<
		[string, { parameters?: Record<string, unknown>; request: FakeRequest }, number, string]
	> = [
		[
			'a forged request',
			{ request: signed({ type: 'x' }, 'msg_forged_listen') },
			401,
			'signature_mismatch',
		],
		[
			'an unsigned request',
			{ request: { headers: json, rawBody: Buffer.from('{}') } },
			401,
			'missing_signature',
		],
		[
			'a body that is not JSON',
			{
				parameters: { verification: 'none' },
				request: { headers: { 'content-type': 'text/plain' }, rawBody: Buffer.from('hello') },
			},
			400,
			'invalid_json',
		],
		[
			'an event without a type',
			{
				parameters: { verification: 'none' },
				request: { headers: json, rawBody: Buffer.from('{"a":1}') },
			},
			422,
			'invalid_event',
		],
		[
			'a body over the size limit',
			{
				parameters: { verification: 'none', options: { maxBodyKib: 1 } },
				request: {
					headers: json,
					rawBody: Buffer.from(JSON.stringify({ type: 'x'.repeat(2000) })),
				},
			},
			413,
			'payload_too_large',
		],
		[
			'a sender outside the IP allowlist',
			{
				parameters: { security: { ipAllowlist: '10.0.0.0/8' } },
				request: signed({ type: 'x' }),
			},
			403,
			'ip_not_allowed',
		],
	];
	const call = (
		mode: string,
		{ parameters = {}, request }: { parameters?: Record<string, unknown>; request: FakeRequest },
	) =>
		webhookContext(trigger, {
			parameters,
			// Signed with another secret than the forged request's, so that it is refused.
			credentials: { secret: asText },
			request,
			mode,
		});

	it.each(refusals)(
		'%s gets the production answer, and the listening ends with the code, its meaning and a fix',
		async (_case, sent, status, code) => {
			const production = call('webhook', sent);
			await expect(trigger.webhook.call(production.context)).resolves.toEqual({
				noWebhookResponse: true,
			});
			const listening = call('manual', sent);
			const error = await trigger.webhook.call(listening.context).then(
				() => undefined,
				(thrown: unknown) => thrown,
			);
			expect(listening.response).toEqual(production.response);
			expect(listening.response.status).toBe(status);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).message).toBe(
				`Refused: the sender was answered ${status} ${code}`,
			);
			expect((error as NodeOperationError).description).toMatch(/<br>Fix: \S/);
		},
	);

	it('a sender over the rate limit gets the production 429 and Retry-After, and the listening ends', async () => {
		const overLimit = async (mode: string) => {
			const calls = [1, 2].map(() =>
				webhookContext(trigger, {
					parameters: { security: { rateLimitRequests: 1 } },
					credentials: { secret: signer },
					request: signed({ type: 'x' }, `msg_limited_${mode}`),
					nodeId: 'rate-limited-node',
					mode,
				}),
			);
			await trigger.webhook.call(calls[0].context).catch(() => undefined);
			const outcome = await trigger.webhook.call(calls[1].context).then(
				(result) => result,
				(error: unknown) => error,
			);
			return { response: calls[1].response, outcome };
		};
		const production = await overLimit('webhook');
		const listening = await overLimit('manual');
		expect(production.outcome).toEqual({ noWebhookResponse: true });
		expect(listening.response).toEqual(production.response);
		expect(listening.response).toMatchObject({
			status: 429,
			headers: { 'retry-after': expect.any(String) },
		});
		expect((listening.outcome as Error).message).toBe(
			'Refused: the sender was answered 429 rate_limited',
		);
	});

	it('explains a signature failure with what the request reveals, and nothing secret', async () => {
		// The sender used the whole "whsec_" secret as plain text.
		const listening = webhookContext(trigger, {
			credentials: { secret: signer },
			request: signedRequest({ type: 'x' }, { id: 'msg_as_text', secret: asText }),
			mode: 'manual',
		});
		const error = (await trigger.webhook
			.call(listening.context)
			.catch((thrown) => thrown)) as NodeOperationError;
		expect(error.description).toContain('"whsec_" included, as plain text');
		expect(JSON.stringify(error)).not.toContain(signer.slice('whsec_'.length));
		expect(JSON.stringify(error)).not.toContain(
			String(listening.request.headers['webhook-signature']).slice(3),
		);
	});

	/** A signed delivery of event `id` to the test URL of node `nodeId`. */
	const listenFor = (id: string, nodeId: string, parameters = {}) =>
		webhookContext(trigger, {
			parameters,
			credentials: { secret: signer },
			request: signed({ type: 'x' }, id),
			nodeId,
			mode: 'manual',
		});

	it('tells the editor why an event of a type the node does not accept started no run; the sender still gets 200', async () => {
		const listening = listenFor('msg_listen_ignored', 'ignoring-node', {
			eventTypes: ['flow.end'],
		});
		await expect(trigger.webhook.call(listening.context)).rejects.toThrow(
			'Not run: the sender was answered 200 ignored',
		);
		expect(listening.response).toMatchObject({
			status: 200,
			body: { received: true, ignored: true },
		});
	});

	it('tells the editor why a redelivery started no run; the sender still gets 200', async () => {
		const first = listenFor('msg_listen_twice', 'redelivered-node');
		await trigger.webhook.call(first.context);
		first.finishExchange(202);
		const again = listenFor('msg_listen_twice', 'redelivered-node');
		await expect(trigger.webhook.call(again.context)).rejects.toThrow(
			'Not run: the sender was answered 200 duplicate',
		);
		expect(again.response).toMatchObject({
			status: 200,
			body: { received: true, duplicate: true },
		});
	});

	it('shows a misconfiguration to the editor, while the sender learns nothing of it', async () => {
		const listening = webhookContext(trigger, {
			credentials: { secret: 'whsec_***not base64***' },
			request: signed({ type: 'x' }),
			mode: 'manual',
		});
		const error = (await trigger.webhook
			.call(listening.context)
			.catch((thrown) => thrown)) as NodeOperationError;
		expect(listening.response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(error.description).toMatch(/must continue with valid base64/);
		expect(error.description).not.toContain('***not base64***');
	});

	it('shows what it quotes from the settings as text, never as markup', async () => {
		const listening = webhookContext(trigger, {
			parameters: { security: { ipAllowlist: '<b>' } },
			credentials: { secret: signer },
			request: signed({ type: 'x' }),
			mode: 'manual',
		});
		const error = (await trigger.webhook
			.call(listening.context)
			.catch((thrown) => thrown)) as NodeOperationError;
		expect(error.description).toContain('"&lt;b&gt;"');
		expect(error.description).not.toContain('<b>');
	});

	it('runs an accepted event as in production', async () => {
		const listening = webhookContext(trigger, {
			credentials: { secret: signer },
			request: signed({ type: 'x' }, 'msg_listen_ok'),
			mode: 'manual',
		});
		const result = await trigger.webhook.call(listening.context);
		expect(result.webhookResponse).toEqual({ received: true, id: 'msg_listen_ok' });
		expect(result.workflowData?.[0]).toHaveLength(1);
	});
});

describe('the trigger panel', () => {
	const panel = trigger.description.triggerPanel as {
		header: string;
		executionsHelp: { inactive: string; active: string };
	};

	it("says what to do in its header, not n8n's text built from the node name", () => {
		expect(panel.header).toMatch(/Execute step.*Test URL/);
	});

	it.each<SignatureScheme>([{ kind: 'standardWebhooks' }, { kind: 'github' }, { kind: 'stripe' }])(
		'names the test URL and every header %j needs, and points at a signed curl',
		(scheme) => {
			for (const help of [panel.executionsHelp.inactive, panel.executionsHelp.active]) {
				expect(help).toContain('/webhook-test/');
				for (const header of schemeHeaders(scheme)) expect(help).toContain(header);
				expect(help).toContain('#your-first-event');
			}
		},
	);
});
