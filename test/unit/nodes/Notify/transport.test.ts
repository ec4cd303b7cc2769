import { createSender } from '../../../../nodes/Notify/transport';
import { Notify } from '../../../../nodes/Notify/Notify.node';
import { executeContext } from '../../support/n8nContexts';

const notify = new Notify();

const request = (url: string) => ({
	url,
	headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
	body: '{"type":"order.created"}',
});

/** A stand-in for Node.js's fetch that records each call and answers from `answer`. */
function fakeClient(answer = () => new Response('accepted', { status: 202 })) {
	const calls: Array<{ url: string; init: RequestInit }> = [];
	const client: typeof fetch = async (url, init = {}) => {
		calls.push({ url: String(url), init });
		return answer();
	};
	return { client, calls };
}

function contextWithPolicy(refused: string[] = []) {
	const validated: string[] = [];
	const { context } = executeContext(notify, {
		helpers: {
			getSecureEgressFilter: () => ({
				validateUrl: async (url: string) => {
					validated.push(url);
					return refused.includes(url)
						? { ok: false, error: new Error('Request blocked by the SSRF policy') }
						: { ok: true, result: undefined };
				},
			}),
		},
	});
	return { context, validated };
}

const reuse = { reuseConnections: true, timeoutMs: 1000 };

describe('the keep-alive sender', () => {
	it('posts the signed request as is and returns the whole answer', async () => {
		const { client, calls } = fakeClient(
			() => new Response('slow down', { status: 429, headers: { 'retry-after': '7' } }),
		);
		const send = createSender(contextWithPolicy().context, reuse, client);
		const signal = AbortSignal.timeout(1000);
		const response = await send(request('https://receiver.example/hook'), signal);
		expect(response).toEqual({
			statusCode: 429,
			headers: expect.objectContaining({ 'retry-after': '7' }),
			body: 'slow down',
		});
		expect(calls).toEqual([
			{
				url: 'https://receiver.example/hook',
				init: {
					method: 'POST',
					headers: request('').headers,
					body: '{"type":"order.created"}',
					redirect: 'manual',
					signal,
				},
			},
		]);
	});

	it('checks each URL against the outbound policy once, before its first request', async () => {
		const { context, validated } = contextWithPolicy(['http://10.0.0.1/internal']);
		const { client, calls } = fakeClient();
		const send = createSender(context, reuse, client);
		await send(request('https://receiver.example/a'), AbortSignal.timeout(1000));
		await send(request('https://receiver.example/a'), AbortSignal.timeout(1000));
		await expect(
			send(request('http://10.0.0.1/internal'), AbortSignal.timeout(1000)),
		).rejects.toThrow(/blocked/);
		await expect(
			send(request('http://10.0.0.1/internal'), AbortSignal.timeout(1000)),
		).rejects.toThrow(/blocked/);
		expect(validated).toEqual(['https://receiver.example/a', 'http://10.0.0.1/internal']);
		expect(calls.map((call) => call.url)).toEqual([
			'https://receiver.example/a',
			'https://receiver.example/a',
		]);
	});

	it('sends without a policy check on an n8n that has no outbound policy', async () => {
		const { client, calls } = fakeClient();
		const send = createSender(executeContext(notify).context, reuse, client);
		await send(request('https://receiver.example/a'), AbortSignal.timeout(1000));
		expect(calls).toHaveLength(1);
	});
});

describe('with connection reuse off', () => {
	it("sends through n8n's HTTP helper, with its timeout and no redirects", async () => {
		const calls: unknown[] = [];
		const { context } = executeContext(notify, {
			helpers: {
				httpRequest: async (options: unknown) => {
					calls.push(options);
					return { statusCode: 200, headers: {}, body: 'ok' };
				},
			},
		});
		const { client, calls: fetched } = fakeClient();
		const send = createSender(context, { reuseConnections: false, timeoutMs: 1234 }, client);
		const signal = AbortSignal.timeout(1000);
		expect(await send(request('https://receiver.example/hook'), signal)).toEqual({
			statusCode: 200,
			headers: {},
			body: 'ok',
		});
		expect(fetched).toEqual([]);
		expect(calls).toEqual([
			expect.objectContaining({
				method: 'POST',
				url: 'https://receiver.example/hook',
				body: '{"type":"order.created"}',
				timeout: 1234,
				abortSignal: signal,
				disableFollowRedirect: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			}),
		]);
	});
});
