import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import { ExternalDataProvider } from '../../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { webhookContext } from '../../support/n8nContexts';
import { signedRequest, whsec } from '../../../support/events.cjs';

const SECRET = whsec('security test signing material!!');
const TOKEN = 'example-security-token-0123';
const OTHER_TOKEN = 'example-other-token-9876';

const trigger = new FlowWebhookTrigger();
const provider = new ExternalDataProvider();

/** A Standard Webhooks delivery of `event` signed with the node's secret, from `ip`. */
function signed(event: object, id = `msg_${randomUUID()}`, ip = '127.0.0.1') {
	return { ...signedRequest(event, { id, secret: SECRET }), ip };
}

function triggerCall(
	security: Record<string, unknown>,
	request = signed({ type: 'x' }),
	extra: { nodeId?: string; parameters?: Record<string, unknown>; staticData?: IDataObject } = {},
) {
	const fake = webhookContext(trigger, {
		parameters: { security, ...extra.parameters },
		credentials: { secret: SECRET },
		request,
		nodeId: extra.nodeId,
		staticData: extra.staticData,
	});
	return { ...fake, result: trigger.webhook.call(fake.context) };
}

/** The trigger accepted the call: it answers { received, id } and hands that event to the workflow. */
async function expectAccepted(call: ReturnType<typeof triggerCall>) {
	const result = await call.result;
	const id = call.request.headers['webhook-id'];
	expect(result.webhookResponse).toEqual({ received: true, id });
	expect(result.workflowData).toEqual([[{ json: expect.objectContaining({ id, event: 'x' }) }]]);
}

describe('Flow Webhook Trigger: Security options', () => {
	it('refuses an address outside the allowlist with 403, no run, and a warning naming it', async () => {
		const call = triggerCall(
			{ ipAllowlist: '10.0.0.0/8' },
			signed({ type: 'x' }, 'msg_ip_1', '192.0.2.9'),
		);
		expect(await call.result).toEqual({ noWebhookResponse: true });
		expect(call.response).toMatchObject({
			status: 403,
			body: { error: 'ip_not_allowed' },
			headers: { 'cache-control': 'no-store' },
		});
		expect(call.lines).toEqual([
			{
				level: 'warn',
				message:
					'Webhook request refused: reason="ip_not_allowed" node="Flow Webhook Trigger" workflow="workflow-1" client="192.0.2.9"',
				metadata: {
					reason: 'ip_not_allowed',
					nodeName: 'Flow Webhook Trigger',
					workflowId: 'workflow-1',
					client: '192.0.2.9',
				},
			},
		]);
	});

	it('serves an allowlisted address, written as IPv4-mapped IPv6 by a dual-stack n8n', async () => {
		const call = triggerCall(
			{ ipAllowlist: '127.0.0.1' },
			signed({ type: 'x' }, 'msg_ip_2', '::ffff:127.0.0.1'),
		);
		const result = await call.result;
		expect(result.workflowData).toBeDefined();
		expect(result.webhookResponse).toEqual({ received: true, id: 'msg_ip_2' });
		expect(call.lines).toEqual([]);
	});

	it('answers 500 misconfigured and logs which allowlist entry is malformed, never allowing', async () => {
		const call = triggerCall({ ipAllowlist: '127.0.0.1, 127.0.0.0/33' });
		expect(await call.result).toEqual({ noWebhookResponse: true });
		expect(call.response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(call.logged).toEqual([
			expect.stringContaining('IP Allowlist entry 2, "127.0.0.0/33", has an invalid prefix length'),
		]);
	});

	it('limits each address, answering 429 with Retry-After and starting nothing', async () => {
		const nodeId = randomUUID();
		const security = { rateLimitRequests: 2, rateLimitWindowSeconds: 60 };
		const send = (ip: string) =>
			triggerCall(security, signed({ type: 'x' }, undefined, ip), { nodeId });
		for (const ip of ['198.51.100.1', '198.51.100.1']) await expectAccepted(send(ip));
		const limited = send('198.51.100.1');
		expect(await limited.result).toEqual({ noWebhookResponse: true });
		expect(limited.response).toMatchObject({
			status: 429,
			body: { error: 'rate_limited' },
			headers: { 'retry-after': '30', 'cache-control': 'no-store' },
		});
		expect(limited.lines).toEqual([
			expect.objectContaining({
				level: 'warn',
				message: expect.stringContaining('reason="rate_limited"'),
			}),
		]);
		await expectAccepted(send('198.51.100.2'));
	});

	it('counts forged requests too, so a flood is cut off before any signature is computed', async () => {
		const nodeId = randomUUID();
		const forged = { ...signed({ type: 'x' }), ip: '203.0.113.50' };
		forged.headers['webhook-signature'] = 'v1,' + Buffer.alloc(32).toString('base64');
		const first = triggerCall({ rateLimitRequests: 1 }, forged, { nodeId });
		await first.result;
		expect(first.response.status).toBe(401);
		const second = triggerCall(
			{ rateLimitRequests: 1 },
			signed({ type: 'x' }, undefined, '203.0.113.50'),
			{
				nodeId,
			},
		);
		await second.result;
		expect(second.response.status).toBe(429);
	});

	it('logs a forged signature as a warning without the signature, secret or body', async () => {
		const request = signed({ type: 'x', card: '4111-1111' }, 'msg_forged');
		const sent = request.headers['webhook-signature'];
		// A different secret on the node makes the sender's signature a forgery.
		const forgedCall = webhookContext(trigger, {
			credentials: {
				secret: whsec('another secret entirely, 32 b!!'),
			},
			request,
		});
		await trigger.webhook.call(forgedCall.context);
		expect(forgedCall.response.status).toBe(401);
		expect(forgedCall.lines).toHaveLength(1);
		const [line] = forgedCall.lines;
		expect(line.level).toBe('warn');
		expect(line.message).toBe(
			'Webhook request refused: reason="signature_mismatch" node="Flow Webhook Trigger" workflow="workflow-1" client="127.0.0.1"',
		);
		const logged = JSON.stringify(forgedCall.lines);
		for (const secret of [sent, sent.slice(3), 'whsec_', '4111', 'msg_forged']) {
			expect(logged).not.toContain(secret);
		}
	});

	it('logs duplicates and filtered events at debug with their event id', async () => {
		const staticData = {};
		const nodeId = randomUUID();
		const event = { type: 'order.created' };
		const first = triggerCall({}, signed(event, 'msg_dup'), { nodeId, staticData });
		await first.result;
		first.finishExchange(202);
		const again = triggerCall({}, signed(event, 'msg_dup'), { nodeId, staticData });
		await again.result;
		expect(again.response.body).toEqual({ received: true, duplicate: true });
		expect(again.lines).toEqual([
			expect.objectContaining({
				level: 'debug',
				message: expect.stringContaining(
					'reason="duplicate" node="Flow Webhook Trigger" workflow="workflow-1" event="msg_dup"',
				),
			}),
		]);

		const filtered = triggerCall({}, signed(event, 'msg_filtered'), {
			parameters: { eventTypes: ['flow.start'] },
		});
		await filtered.result;
		expect(filtered.lines).toEqual([
			expect.objectContaining({
				level: 'debug',
				message: expect.stringContaining(
					'reason="ignored" node="Flow Webhook Trigger" workflow="workflow-1" event="msg_filtered"',
				),
			}),
		]);
	});

	it('logs one line for a flood of forgeries from one address, and a new address or reason at once', async () => {
		const nodeId = randomUUID();
		const forged = (ip: string) => {
			const request = signed({ type: 'x' }, undefined, ip);
			const headers = { ...request.headers, 'webhook-signature': 'v1,Zm9yZ2Vk' };
			return triggerCall({}, { ...request, headers }, { nodeId });
		};
		const flood = Array.from({ length: 1000 }, () => forged('203.0.113.30'));
		await Promise.all(flood.map(({ result }) => result));
		expect(flood.every(({ response }) => response.status === 401)).toBe(true);
		expect(flood.flatMap(({ lines }) => lines)).toEqual([
			expect.objectContaining({
				level: 'warn',
				message: expect.stringContaining('reason="malformed_signature"'),
			}),
		]);
		const otherAddress = forged('203.0.113.31');
		await otherAddress.result;
		expect(otherAddress.lines).toHaveLength(1);
		const unsigned = triggerCall({}, { ...signed({ type: 'x' }), headers: {} }, { nodeId });
		await unsigned.result;
		expect(unsigned.lines.map(({ message }) => message)).toEqual([
			expect.stringContaining('reason="missing_signature"'),
		]);
	});

	it('logs unusable bodies at info', async () => {
		const request = signed({ type: 'x' });
		const call = triggerCall(
			{},
			{ ...request, headers: { ...request.headers, 'content-type': 'text/plain' } },
		);
		await call.result;
		expect(call.response.status).toBe(400);
		expect(call.lines).toEqual([
			expect.objectContaining({
				level: 'info',
				message: expect.stringContaining('reason="invalid_json"'),
			}),
		]);
	});
});

describe('External Data Provider: Security options', () => {
	const bearer = { authentication: 'bearerToken' };
	const credentials = { token: TOKEN, additionalTokens: OTHER_TOKEN };

	async function get(options: {
		security: Record<string, unknown>;
		ip?: string;
		token?: string;
		nodeId?: string;
		parameters?: Record<string, unknown>;
		headers?: Record<string, string>;
		query?: Record<string, unknown>;
	}) {
		const fake = webhookContext(provider, {
			parameters: { ...bearer, ...options.parameters, security: options.security },
			credentials,
			nodeId: options.nodeId,
			request: {
				ip: options.ip,
				query: options.query,
				headers: {
					...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
					...options.headers,
				},
			},
		});
		const result = await provider.webhook.call(fake.context);
		return { ...fake, result };
	}

	it('refuses an address outside the allowlist with 403, keeping the CORS headers', async () => {
		const refused = await get({
			security: { ipAllowlist: '2001:db8::/32' },
			ip: '2001:db9::1',
			token: TOKEN,
			parameters: { options: { allowedOrigins: '*' } },
			headers: { origin: 'https://dash.example' },
		});
		expect(refused.result).toEqual({ noWebhookResponse: true });
		expect(refused.response).toMatchObject({
			status: 403,
			body: { error: 'ip_not_allowed' },
			headers: {
				'access-control-allow-origin': '*',
				'access-control-expose-headers': 'ETag, Retry-After',
				'cache-control': 'no-store',
			},
		});
		expect(refused.lines).toEqual([
			expect.objectContaining({
				level: 'warn',
				message: expect.stringContaining('client="2001:db9::1"'),
			}),
		]);
		const served = await get({
			security: { ipAllowlist: '2001:db8::/32' },
			ip: '2001:db8::1',
			token: TOKEN,
		});
		expect(served.response.status).toBe(200);
		expect(served.lines).toEqual([]);
	});

	it('checks the allowlist before the token, so outsiders cannot even try tokens', async () => {
		const refused = await get({ security: { ipAllowlist: '10.0.0.1' }, ip: '10.0.0.2' });
		expect(refused.response.status).toBe(403);
	});

	it('gives each token its own allowance when counting by token', async () => {
		const nodeId = randomUUID();
		const security = { rateLimitRequests: 2, rateLimitKey: 'token' };
		const ip = '198.51.100.20';
		const statuses = [];
		for (const token of [TOKEN, TOKEN, TOKEN, OTHER_TOKEN, OTHER_TOKEN, OTHER_TOKEN]) {
			statuses.push((await get({ security, ip, token, nodeId })).response.status);
		}
		expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
		// Wrong tokens count by address, so guessing is limited too.
		const guesses = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			guesses.push(
				(await get({ security, ip, token: `example-guess-${attempt}-0123`, nodeId })).response
					.status,
			);
		}
		expect(guesses).toEqual([401, 401, 429]);
	});

	it('counts by address by default, whatever token is presented', async () => {
		const nodeId = randomUUID();
		const security = { rateLimitRequests: 1, rateLimitWindowSeconds: 10 };
		const ip = '198.51.100.30';
		expect((await get({ security, ip, token: TOKEN, nodeId })).response.status).toBe(200);
		const limited = await get({ security, ip, token: OTHER_TOKEN, nodeId });
		expect(limited.response).toMatchObject({
			status: 429,
			body: { error: 'rate_limited' },
			headers: { 'retry-after': '10' },
		});
		expect(JSON.stringify(limited.lines)).not.toContain(OTHER_TOKEN);
	});

	it('logs a bad token as a warning without the token, and a bad query at info', async () => {
		const unauthorized = await get({ security: {}, token: 'example-wrong-token-0123' });
		expect(unauthorized.response.status).toBe(401);
		expect(unauthorized.lines).toEqual([
			{
				level: 'warn',
				message:
					'Webhook request refused: reason="unauthorized" node="External Data Provider" workflow="workflow-1" client="127.0.0.1"',
				metadata: {
					reason: 'unauthorized',
					nodeName: 'External Data Provider',
					workflowId: 'workflow-1',
					client: '127.0.0.1',
				},
			},
		]);
		expect(JSON.stringify(unauthorized.lines)).not.toContain('wrong-token');

		const badQuery = await get({ security: {}, token: TOKEN, query: { limit: '-1' } });
		expect(badQuery.response.status).toBe(400);
		expect(badQuery.lines).toEqual([
			expect.objectContaining({
				level: 'info',
				message: expect.stringContaining('reason="invalid_query"'),
			}),
		]);
	});

	it('logs nothing for requests it serves', async () => {
		const served = await get({ security: {}, token: TOKEN });
		expect(served.response.status).toBe(200);
		expect(served.lines).toEqual([]);
	});

	it('answers 500 misconfigured for a malformed allowlist entry, naming it in the log', async () => {
		const call = await get({ security: { ipAllowlist: '10.0.0.1/8' }, token: TOKEN });
		expect(call.response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(call.logged).toEqual([
			expect.stringContaining(
				'IP Allowlist entry 1, "10.0.0.1/8", has address bits set after its /8 prefix; that range is written 10.0.0.0/8',
			),
		]);
	});
});

describe('the Security collection in the node panels', () => {
	const securityOf = (node: INodeType) => {
		const security = node.description.properties.find((property) => property.name === 'security');
		return { ...security, options: (security?.options ?? []) as INodeProperties[] };
	};

	it('is an empty collection on both nodes, so nothing is restricted until an option is added', () => {
		for (const node of [trigger, provider]) {
			const security = securityOf(node);
			expect(security.type).toBe('collection');
			expect(security.default).toEqual({});
		}
	});

	it('offers counting by token only on the provider, and only with authentication', () => {
		expect(securityOf(trigger).options.map((option) => option.name)).toEqual([
			'ipAllowlist',
			'rateLimitRequests',
			'rateLimitWindowSeconds',
		]);
		const byToken = securityOf(provider).options.find((option) => option.name === 'rateLimitKey');
		expect(byToken?.displayOptions).toEqual({ hide: { '/authentication': ['none'] } });
	});
});
