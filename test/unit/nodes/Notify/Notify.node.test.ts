import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
	type NodeExecutionHint,
} from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';

import { USER_AGENT } from '../../../../lib/delivery/request';
import * as errorOutput from '../../../../lib/n8n/errorOutput';
import { Notify } from '../../../../nodes/Notify/Notify.node';
import {
	executeContext,
	fakeDeduplicationStore,
	type ExecuteOptions,
	type Parameter,
} from '../../support/n8nContexts';
import { whsec } from '../../../support/events.cjs';

const notify = new Notify();
const SECRET = whsec('notify node unit secret, 32 byt');

type Answer = { statusCode: number; body?: string; headers?: Record<string, string> } | Error;

interface Harness {
	context: IExecuteFunctions;
	requests: IHttpRequestOptions[];
	mostInFlight: () => number;
	hints: NodeExecutionHint[];
	lines: Array<{ level: string; message: string }>;
}

/**
 * The node in n8n's execution context (parameters left out take the node's defaults; a function
 * stands for an expression evaluated per item) with an HTTP helper that answers from `answer(url, n)`.
 */
function harness({
	items = [{ json: { name: 'first' } }],
	parameters = {},
	answer = () => ({ statusCode: 202, body: '{"received":true}' }),
	secret = SECRET,
	store,
	...options
}: {
	items?: INodeExecutionData[];
	parameters?: Record<string, Parameter>;
	answer?: (
		url: string,
		attemptAtUrl: number,
		request: IHttpRequestOptions,
	) => Answer | Promise<Answer>;
	/** The node's signing secret. */
	secret?: string;
	/** n8n's deduplication store, where the node records accepted deliveries (none by default). */
	store?: ReturnType<typeof fakeDeduplicationStore>;
} & Pick<
	ExecuteOptions,
	| 'continueOnFail'
	| 'cancelSignal'
	| 'metadata'
	| 'onError'
	| 'mode'
	| 'nodeId'
	| 'resumeToken'
	| 'runIndex'
	| 'storedRunData'
>): Harness {
	const all: Record<string, Parameter> = {
		eventType: 'order.created',
		'destinations.destination': [{ url: 'https://a.example/hook' }],
		options: { baseDelayMs: 0, maxDelayMs: 0 },
		...parameters,
	};
	// Requests go through the stubbed n8n HTTP helper; the keep-alive client has its own tests.
	all.options = { reuseConnections: false, ...(all.options as object) };
	const requests: IHttpRequestOptions[] = [];
	const attemptsPerUrl = new Map<string, number>();
	let inFlight = 0;
	let mostInFlight = 0;
	const httpRequest = async (request: IHttpRequestOptions) => {
		requests.push(request);
		const attempt = (attemptsPerUrl.get(request.url) ?? 0) + 1;
		attemptsPerUrl.set(request.url, attempt);
		inFlight += 1;
		mostInFlight = Math.max(mostInFlight, inFlight);
		try {
			const result = await answer(request.url, attempt, request);
			if (result instanceof Error) throw result;
			return { headers: {}, body: '', ...result };
		} finally {
			inFlight -= 1;
		}
	};
	const { context, hints, lines } = executeContext(notify, {
		items,
		parameters: all,
		credentials: { secret },
		helpers: { httpRequest, ...store?.helpers },
		...options,
	});
	return { context, requests, mostInFlight: () => mostInFlight, hints, lines };
}

const run = async (h: Harness) => await notify.execute.call(h.context);
const header = (request: IHttpRequestOptions, name: string) =>
	(request.headers as IDataObject)[name] as string;
const items = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { index } }));

describe('Notify: sending', () => {
	it('posts each item as a signed Standard Webhooks event the reference library verifies', async () => {
		const h = harness({ items: [{ json: { name: 'Zoë' } }] });
		const [output] = await run(h);
		expect(h.requests).toHaveLength(1);
		const [request] = h.requests;
		expect(request).toMatchObject({
			method: 'POST',
			url: 'https://a.example/hook',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 10_000,
		});
		expect(header(request, 'content-type')).toBe('application/json');
		expect(header(request, 'user-agent')).toBe(USER_AGENT);
		const payload = new Webhook(SECRET).verify(
			request.body as string,
			request.headers as Record<string, string>,
		);
		expect(payload).toEqual({
			type: 'order.created',
			timestamp: expect.any(String),
			data: { name: 'Zoë' },
		});
		expect(output).toEqual([
			{
				json: {
					eventId: header(request, 'webhook-id'),
					type: 'order.created',
					deliveries: [
						{
							url: 'https://a.example/hook',
							ok: true,
							status: 202,
							attempts: 1,
							durationMs: expect.any(Number),
							error: null,
							responseBody: '{"received":true}',
							history: [{ at: expect.any(String), status: 202, error: null }],
						},
					],
				},
				pairedItem: [{ item: 0 }],
			},
		]);
	});

	it('gives every item its own UUID by default, and uses a configured ID as is', async () => {
		const generated = harness({ items: items(3) });
		await run(generated);
		const ids = generated.requests.map((request) => header(request, 'webhook-id'));
		expect(new Set(ids).size).toBe(3);
		ids.forEach((id) =>
			expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
		);
		const otherRun = harness({ items: items(3) });
		await run(otherRun);
		const otherIds = otherRun.requests.map((request) => header(request, 'webhook-id'));
		expect(otherIds.filter((id) => ids.includes(id))).toEqual([]);

		const configured = harness({
			items: items(2),
			parameters: { eventId: (itemIndex: number) => `order-${itemIndex}` },
		});
		await run(configured);
		expect(configured.requests.map((request) => header(request, 'webhook-id'))).toEqual([
			'order-0',
			'order-1',
		]);
	});

	it('sends the same ID and body on every retry of a delivery, and to every destination', async () => {
		const h = harness({
			parameters: {
				'destinations.destination': [{ url: 'https://a.example/' }, { url: 'https://b.example/' }],
			},
			answer: (url, attempt) => ({
				statusCode: url.includes('a.example') && attempt < 3 ? 503 : 200,
			}),
		});
		const [[item]] = await run(h);
		expect(h.requests).toHaveLength(4);
		expect(new Set(h.requests.map((request) => header(request, 'webhook-id'))).size).toBe(1);
		expect(new Set(h.requests.map((request) => request.body)).size).toBe(1);
		expect(item.json.deliveries).toMatchObject([
			{ attempts: 3, ok: true },
			{ attempts: 1, ok: true },
		]);
	});

	it('adds extra headers per destination', async () => {
		const h = harness({
			parameters: {
				'destinations.destination': [
					{ url: 'https://a.example/', headers: { header: [{ name: 'x-api-key', value: 'k-a' }] } },
					{ url: 'https://b.example/' },
				],
			},
		});
		await run(h);
		expect(header(h.requests[0], 'x-api-key')).toBe('k-a');
		expect(header(h.requests[1], 'x-api-key')).toBeUndefined();
	});

	it('sends unsigned events without any signature header', async () => {
		const h = harness({ parameters: { signing: 'none' } });
		await run(h);
		expect(Object.keys(h.requests[0].headers ?? {}).sort()).toEqual(['content-type', 'user-agent']);
	});

	it("sends the item's JSON as is in that format", async () => {
		const h = harness({
			items: [{ json: { order: 7, lines: [1, 2] } }],
			parameters: { eventFormat: 'itemJson' },
		});
		await run(h);
		expect(h.requests[0].body).toBe('{"order":7,"lines":[1,2]}');
	});

	it('never has more deliveries under way than the concurrency allows', async () => {
		const h = harness({
			items: items(20),
			parameters: {
				'destinations.destination': [
					{ url: 'https://a.example/' },
					{ url: 'https://b.example/' },
					{ url: 'https://c.example/' },
				],
				options: { concurrency: 4, baseDelayMs: 0, maxDelayMs: 0 },
			},
			answer: async () => {
				await sleep(1);
				return { statusCode: 200 };
			},
		});
		const [output] = await run(h);
		expect(h.requests).toHaveLength(60);
		expect(h.mostInFlight()).toBe(4);
		expect(output.map((item) => item.pairedItem)).toEqual(items(20).map((_, item) => [{ item }]));
	});

	it('starts deliveries in item order for each destination', async () => {
		const h = harness({
			items: items(6),
			parameters: {
				eventId: (itemIndex: number) => `evt-${itemIndex}`,
				'destinations.destination': [{ url: 'https://a.example/' }, { url: 'https://b.example/' }],
				options: { concurrency: 3, baseDelayMs: 0, maxDelayMs: 0 },
			},
		});
		await run(h);
		for (const url of ['https://a.example/', 'https://b.example/']) {
			const order = h.requests
				.filter((request) => request.url === url)
				.map((request) => header(request, 'webhook-id'));
			expect(order).toEqual(['evt-0', 'evt-1', 'evt-2', 'evt-3', 'evt-4', 'evt-5']);
		}
	});
});

describe('Notify: failures', () => {
	it('refuses more than five destinations before sending anything', async () => {
		const six = Array.from({ length: 6 }, (_, index) => ({ url: `https://r${index}.example/` }));
		const h = harness({ items: items(3), parameters: { 'destinations.destination': six } });
		await expect(run(h)).rejects.toMatchObject({
			name: 'NodeOperationError',
			message:
				'Notify sends to at most 5 destinations, but 6 are configured. Split them over several Notify nodes.',
		});
		expect(h.requests).toHaveLength(0);
	});

	it('refuses an invalid destination of a later item before sending to earlier ones', async () => {
		const h = harness({
			items: items(3),
			parameters: {
				'destinations.destination': (itemIndex: number) => [
					{ url: itemIndex === 2 ? 'ftp://x.example/' : 'https://a.example/' },
				],
			},
		});
		await expect(run(h)).rejects.toThrow(
			'Destination 1: only http:// and https:// URLs are supported.',
		);
		expect(h.requests).toHaveLength(0);
	});

	const continuingScenario = {
		items: items(2),
		continueOnFail: true,
		parameters: {
			eventId: (itemIndex: number) => `evt-${itemIndex}`,
			'destinations.destination': (itemIndex: number) => [
				{ url: itemIndex === 0 ? 'https://ok.example/' : 'https://down.example/' },
			],
			options: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
		},
		answer: (url: string) => ({
			statusCode: url.includes('down') ? 503 : 200,
			body: 'unavailable',
		}),
	};
	const failedMessage =
		'1 of 1 deliveries of event evt-1 failed: https://down.example/: HTTP 503 (2 attempts)';

	it('with an error output on n8n before 2.36, which routes no details there, sends the error alone', async () => {
		const keepsDetails = jest.spyOn(errorOutput, 'errorOutputKeepsDetails').mockReturnValue(false);
		try {
			const h = harness({ ...continuingScenario, onError: 'continueErrorOutput' });
			const [[, failed]] = await run(h);
			expect(failed).toEqual({ json: { error: failedMessage }, pairedItem: [{ item: 1 }] });
		} finally {
			keepsDetails.mockRestore();
		}
	});

	it('wraps an expression error in a NodeOperationError for its item', async () => {
		const h = harness({
			items: items(2),
			parameters: {
				eventData: (itemIndex: number) => (itemIndex === 1 ? new Error('Invalid expression') : {}),
			},
		});
		await expect(run(h)).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: 'Invalid expression',
			context: { itemIndex: 1 },
		});
		expect(h.requests).toHaveLength(0);
	});

	it('refuses a delivery option an expression got wrong before sending anything', async () => {
		const h = harness({ parameters: { options: { concurrency: 0 } } });
		await expect(run(h)).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: 'Concurrency must be a whole number of at least 1, not 0.',
		});
		expect(h.requests).toHaveLength(0);
	});

	it('refuses an unusable signing secret before sending anything', async () => {
		const h = harness({ secret: 'whsec_***' });
		await expect(run(h)).rejects.toThrow(/^The signing secret is unusable: /);
		expect(h.requests).toHaveLength(0);
	});

	it('sends nothing once the execution is cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		const h = harness({ continueOnFail: true, cancelSignal: controller.signal });
		const [[item]] = await run(h);
		expect(h.requests).toHaveLength(0);
		expect(item.json.deliveries).toMatchObject([
			{
				ok: false,
				attempts: 0,
				error: 'The execution was cancelled before this delivery succeeded',
			},
		]);
	});

	it('stops retrying when the execution is cancelled during a wait', async () => {
		const controller = new AbortController();
		const h = harness({
			continueOnFail: true,
			cancelSignal: controller.signal,
			parameters: { options: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 } },
			answer: () => {
				// The first answer arrives, then the user stops the execution during the long wait.
				queueMicrotask(() => controller.abort());
				return { statusCode: 503 };
			},
		});
		const started = Date.now();
		const [[item]] = await run(h);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(h.requests).toHaveLength(1);
		expect(item.json.deliveries).toMatchObject([{ ok: false, attempts: 1, status: 503 }]);
	});

	it("ends an attempt at its deadline even when the client's own timeout does not fire", async () => {
		const h = harness({
			parameters: { options: { maxAttempts: 2, timeoutMs: 50, baseDelayMs: 0, maxDelayMs: 0 } },
			continueOnFail: true,
			// A receiver that never answers; like n8n's client, the request gives up only when its signal aborts.
			answer: async (_url, _attempt, request) =>
				await new Promise<Answer>((resolve) =>
					(request.abortSignal as AbortSignal).addEventListener('abort', () =>
						resolve(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' })),
					),
				),
		});
		const [[item]] = await run(h);
		expect(item.json.deliveries).toMatchObject([
			{ ok: false, attempts: 2, status: null, error: 'No answer within 50 ms' },
		]);
	});

	it('reports a timed-out attempt and retries it', async () => {
		const h = harness({
			parameters: { options: { maxAttempts: 2, timeoutMs: 50, baseDelayMs: 0, maxDelayMs: 0 } },
			continueOnFail: true,
			answer: (_, attempt) =>
				attempt === 1
					? Object.assign(new Error('timeout of 50ms exceeded'), { code: 'ECONNABORTED' })
					: { statusCode: 200 },
		});
		const [[item]] = await run(h);
		expect(item.json.deliveries).toMatchObject([{ ok: true, attempts: 2 }]);
	});
});

describe('Notify: test events', () => {
	it('sends one ping per run to every destination, whatever the number of items', async () => {
		const h = harness({
			items: items(3),
			parameters: {
				operation: 'sendTestEvent',
				eventFormat: 'itemJson',
				'destinations.destination': [{ url: 'https://a.example/' }, { url: 'https://b.example/' }],
			},
		});
		const [output] = await run(h);
		expect(h.requests).toHaveLength(2);
		for (const request of h.requests) {
			expect(
				new Webhook(SECRET).verify(
					request.body as string,
					request.headers as Record<string, string>,
				),
			).toMatchObject({
				type: 'ping',
				data: { message: expect.stringContaining('Notify') },
			});
		}
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			type: 'ping',
			deliveries: [{ ok: true }, { ok: true }],
		});
		expect(output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('sends a flow session ping with the session fields', async () => {
		const h = harness({
			parameters: {
				operation: 'sendTestEvent',
				eventFormat: 'flowSession',
				sessionId: 'sess-1',
				flowName: 'Checks',
				success: true,
				metadata: '{"a":1}',
			},
		});
		await run(h);
		expect(JSON.parse(h.requests[0].body as string)).toMatchObject({
			event: 'ping',
			session_id: 'sess-1',
			flow_name: 'Checks',
			success: true,
			metadata: { a: 1 },
		});
	});
});

describe('Notify: default event ids', () => {
	const TOKEN = 'a1'.repeat(32);
	const NODE = 'notify-node-1';
	const ids = (h: Harness) => h.requests.map((request) => header(request, 'webhook-id'));
	const sent = async (options: Parameters<typeof harness>[0]) => {
		const h = harness({ items: items(2), nodeId: NODE, resumeToken: TOKEN, ...options });
		await run(h);
		return ids(h);
	};

	it('come from what n8n stored with the execution: a retry of it sends each event with the id it had', async () => {
		const failing = harness({
			items: items(2),
			nodeId: NODE,
			resumeToken: TOKEN,
			answer: () => ({ statusCode: 400 }),
		});
		await expect(run(failing)).rejects.toThrow(NodeApiError);
		expect(await sent({ mode: 'retry' })).toEqual(ids(failing));
		expect(new Set(ids(failing)).size).toBe(2);
	});

	it("stay the same after a crash: the entries n8n's recovery left in the retried execution are not counted", async () => {
		const original = await sent({});
		const crashed = { startTime: 0, executionIndex: 0, executionTime: 0, source: [] };
		const recovered = {
			...crashed,
			executionStatus: 'success' as const,
			data: { main: [[{ json: { isArtificialRecoveredEventItem: true } }]] },
		};
		// Killed during its first round: the retry runs it once more, after recovery's entry.
		const retried = await sent({
			mode: 'retry',
			runIndex: 1,
			storedRunData: { Notify: [{ ...crashed, executionStatus: 'crashed' as const }] },
		});
		expect(retried).toEqual(original);
		// A second round of the same node in the execution is new events, before and after a crash.
		const secondRound = await sent({ runIndex: 1 });
		expect(secondRound.filter((id) => original.includes(id))).toEqual([]);
		expect(
			await sent({ mode: 'retry', runIndex: 2, storedRunData: { Notify: [recovered] } }),
		).toEqual(secondRound);
	});

	it('differ between executions and between Notify nodes of one execution', async () => {
		const original = await sent({});
		const otherExecution = await sent({ resumeToken: 'b2'.repeat(32) });
		const otherNode = await sent({ nodeId: 'notify-node-2' });
		expect(new Set([...original, ...otherExecution, ...otherNode]).size).toBe(6);
	});

	it('an execution that failed before ids came from the execution keeps the seed it stored', async () => {
		const metadata = {};
		const before = harness({ items: items(2), metadata, resumeToken: null });
		await run(before);
		expect(await sent({ mode: 'retry', metadata })).toEqual(ids(before));
	});

	it("without a token from n8n (1.x), a failed execution's retry still gets the seed kept in its metadata", async () => {
		const metadata = {};
		const failing = harness({
			items: items(2),
			metadata,
			resumeToken: null,
			answer: () => ({ statusCode: 400 }),
		});
		await expect(run(failing)).rejects.toThrow(NodeApiError);
		expect(await sent({ resumeToken: null, metadata })).toEqual(ids(failing));
	});
});

describe('Notify: a retry of an interrupted execution', () => {
	const A = 'https://a.example/hook';
	const B = 'https://b.example/hook';
	const TOKEN = 'c3'.repeat(32);
	const both = { 'destinations.destination': [{ url: A }, { url: B }] };
	const urls = (h: Harness) => h.requests.map((request) => request.url);
	const ids = (h: Harness) => h.requests.map((request) => header(request, 'webhook-id'));
	/** One run of the execution's Notify, as first run or as n8n's retry of it. */
	const attempt = (store: ReturnType<typeof fakeDeduplicationStore>, extra = {}) =>
		harness({
			items: items(2),
			parameters: both,
			store,
			nodeId: 'notify-node',
			resumeToken: TOKEN,
			onError: 'continueRegularOutput',
			...extra,
		});

	it('sends each event only to the destinations that had not accepted it, with the id it had', async () => {
		const store = fakeDeduplicationStore();
		// Interrupted after A accepted both events and B none (here: B refused, the run failed).
		const first = attempt(store, {
			answer: (url: string) => ({ statusCode: url === B ? 503 : 200 }),
		});
		await run(first);
		expect(store.entries.size).toBe(2);

		const retried = attempt(store, { mode: 'retry' });
		const [[one, two]] = await run(retried);
		expect(urls(retried)).toEqual([B, B]);
		expect(ids(retried)).toEqual([...new Set(ids(first))]);
		expect(one.json.deliveries).toMatchObject([
			{ url: A, ok: true, attempts: 0, acceptedEarlier: true },
			{ url: B, ok: true, attempts: 1 },
		]);
		expect(two.json.deliveries).toHaveLength(2);
		expect(retried.hints).toEqual([
			expect.objectContaining({
				type: 'info',
				message: expect.stringMatching(/did not send again the 2 deliveries accepted before/),
			}),
		]);
	});

	it('sends again, on the next retry, what a retry looked up but could not deliver either', async () => {
		const store = fakeDeduplicationStore();
		const bDown = { answer: (url: string) => ({ statusCode: url === B ? 503 : 200 }) };
		await run(attempt(store, bDown));
		await run(attempt(store, { mode: 'retry', ...bDown }));
		const third = attempt(store, { mode: 'retry' });
		await run(third);
		expect(urls(third)).toEqual([B, B]);
	});

	it('sends everything again on a retry when nothing was recorded, and only a retry reads the record', async () => {
		const store = fakeDeduplicationStore();
		const first = attempt(store);
		await run(first);
		const again = attempt(store);
		await run(again);
		expect(urls(again)).toEqual([A, B, A, B]);
		const retriedElsewhere = attempt(fakeDeduplicationStore(), { mode: 'retry' });
		await run(retriedElsewhere);
		expect(urls(retriedElsewhere)).toEqual([A, B, A, B]);
		expect(retriedElsewhere.hints).toEqual([]);
	});

	it('keeps delivering when the store fails, and says once in the log what that risks', async () => {
		const store = fakeDeduplicationStore({ failing: true });
		const h = attempt(store);
		await run(h);
		expect(urls(h)).toEqual([A, B, A, B]);
		const warnings = h.lines.filter(({ level }) => level === 'warn');
		expect(warnings).toHaveLength(1);
		expect(warnings[0].message).toMatch(/may get it again, with the same id/);
	});

	it("records a run's acceptances in two writes, the first at once and the rest as the run ends", async () => {
		const store = fakeDeduplicationStore();
		const writes: number[] = [];
		const counting = {
			...store,
			helpers: {
				...store.helpers,
				checkProcessedAndRecord: async (keys: Array<string | number>) => {
					writes.push(keys.length);
					return await store.helpers.checkProcessedAndRecord(keys);
				},
			},
		};
		const startedAt = Date.now();
		await run(attempt(counting, { items: items(50) }));
		// n8n rewrites the whole record on each write: one per acceptance cost more than signing.
		expect(writes).toEqual([1, 99]);
		expect(store.entries.size).toBe(100);
		// The writes are a second apart while the run sends; its end does not wait that second out.
		expect(Date.now() - startedAt).toBeLessThan(1000);
	});

	it('records nothing for a test event', async () => {
		const store = fakeDeduplicationStore();
		await run(attempt(store, { parameters: { ...both, operation: 'sendTestEvent' } }));
		expect(store.entries.size).toBe(0);
	});
});

describe('Notify: Retry Later', () => {
	const A = 'https://a.example/hook';
	const B = 'https://b.example/hook';
	const retryLater = (extra: Record<string, Parameter> = {}) => ({
		retryMode: 'retryLater',
		retrySchedule: '1s, 1h',
		'destinations.destination': [
			{ url: A },
			{ url: B, headers: { header: [{ name: 'x-key', value: 'b' }] } },
		],
		options: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
		...extra,
	});
	const bDown = (url: string) => ({ statusCode: url === B ? 503 : 200 });

	/** The first round: A takes the event, B answers 503 twice; returns the item on Retry Later. */
	async function firstRound() {
		const h = harness({ parameters: retryLater(), answer: bDown });
		const [sent, later] = await run(h);
		expect(sent).toEqual([]);
		expect(later).toHaveLength(1);
		return { h, item: later[0] };
	}

	it('sends an event still owed to a destination out on Retry Later, with what is needed to send it again', async () => {
		const before = Date.now();
		const { h, item } = await firstRound();
		expect(h.requests.map((request) => request.url)).toEqual([A, B, B]);
		const eventId = header(h.requests[0], 'webhook-id');
		const retry = item.json.retry as Record<string, unknown>;
		expect(item.json).toMatchObject({
			eventId,
			type: 'order.created',
			deliveries: [
				{ url: A, ok: true, attempts: 1 },
				{ url: B, ok: false, status: 503, attempts: 2 },
			],
		});
		expect(retry).toMatchObject({
			eventId,
			body: h.requests[0].body,
			round: 1,
			owed: [{ url: B, headers: { 'x-key': 'b' }, attempts: 2 }],
		});
		const due = Date.parse(retry.nextAttemptAt as string);
		expect(due).toBeGreaterThanOrEqual(before + 1000);
		expect(due).toBeLessThanOrEqual(Date.now() + 1000);
		expect(item.pairedItem).toEqual([{ item: 0 }]);
	});

	it('sends a retry item again to the destinations still owed only, with the same id and body, signed afresh', async () => {
		const { h: first, item } = await firstRound();
		const again = harness({ items: [item], parameters: retryLater() });
		const [[sent], later] = await run(again);
		expect(later).toEqual([]);
		expect(again.requests.map((request) => request.url)).toEqual([B]);
		const [request] = again.requests;
		expect(header(request, 'webhook-id')).toBe(header(first.requests[0], 'webhook-id'));
		expect(header(request, 'x-key')).toBe('b');
		expect(request.body).toBe(first.requests[0].body);
		new Webhook(SECRET).verify(request.body as string, request.headers as Record<string, string>);
		// The final report lists every destination: A as it reported in the first round, B across rounds.
		expect(sent.json).toMatchObject({
			eventId: header(request, 'webhook-id'),
			deliveries: [
				{ url: A, ok: true, attempts: 1 },
				{ url: B, ok: true, status: 202, attempts: 3 },
			],
		});
		expect((sent.json.deliveries as Array<{ history: unknown[] }>)[1].history).toHaveLength(3);
		expect(sent.json.retry).toBeUndefined();
	});

	it('ends on the error path, every attempt listed, when the schedule is used up', async () => {
		let item = (await firstRound()).item;
		const shortWaits = retryLater({ retrySchedule: '1s, 1s' });
		const downAgain = (onError?: 'continueErrorOutput') =>
			harness({ items: [item], parameters: shortWaits, answer: bDown, onError });
		[, [item]] = await run(downAgain());
		expect((item.json.retry as { round: number }).round).toBe(2);
		// Out of waits: the node fails, naming the destination...
		await expect(run(downAgain())).rejects.toMatchObject({
			message: expect.stringContaining('HTTP 503; no retry left after 3 rounds'),
		});
		// ...or, with an error output, sends the report there.
		const h = downAgain('continueErrorOutput');
		const [[failed], later] = await run(h);
		expect(later).toEqual([]);
		const details = failed.json.details as {
			deliveries: Array<{ attempts: number; history: unknown[] }>;
		};
		expect(details.deliveries).toMatchObject([
			{ url: A, ok: true },
			{ url: B, ok: false },
		]);
		expect(details.deliveries[1].attempts).toBe(6);
		expect(details.deliveries[1].history).toHaveLength(6);
	});

	it('never owes a destination that refused the event for good', async () => {
		const h = harness({
			parameters: retryLater(),
			continueOnFail: true,
			answer: (url) => ({ statusCode: url === B ? 410 : 200 }),
		});
		const [[failed], later] = await run(h);
		expect(later).toEqual([]);
		expect(h.requests).toHaveLength(2);
		expect(failed.json.error).toMatch(/https:\/\/b\.example\/hook: HTTP 410 \(1 attempt\)$/);
	});

	it('ends a retry on the error path when its destination is now refused, instead of owing it again', async () => {
		const { item } = await firstRound();
		const blocked = Object.assign(
			new Error('The request to b.example was blocked by the outbound policy'),
			{
				code: 'BLOCKED',
			},
		);
		const h = harness({
			items: [item],
			parameters: retryLater(),
			continueOnFail: true,
			answer: () => blocked,
		});
		const [[failed], later] = await run(h);
		expect(later).toEqual([]);
		expect(h.requests).toHaveLength(1);
		expect(failed.json.error).toMatch(/blocked by the outbound policy \(3 attempts\)$/);
	});

	it('refuses a retry item whose state was changed, and sends nothing', async () => {
		const { item } = await firstRound();
		const retry = item.json.retry as Record<string, unknown>;
		const tampered = { json: { ...item.json, retry: { ...retry, body: '{"forged":true}' } } };
		const h = harness({ items: [tampered], parameters: retryLater() });
		await expect(run(h)).rejects.toMatchObject({
			message: expect.stringContaining('was changed after Notify wrote it'),
			context: { itemIndex: 0 },
		});
		expect(h.requests).toEqual([]);

		const continuing = harness({
			items: [tampered, { json: {} }],
			parameters: retryLater(),
			continueOnFail: true,
		});
		const [sent, later] = await run(continuing);
		expect(sent[0].json.error).toMatch(/was changed after Notify wrote it/);
		expect(continuing.requests.map((request) => request.url)).toEqual([A, B]);
		expect(later).toEqual([]);
	});

	it('refuses a report that lost its retry state rather than send it as a new event', async () => {
		const { item } = await firstRound();
		const { retry, ...report } = item.json;
		expect(retry).toBeDefined();
		const h = harness({ items: [{ json: report }], parameters: retryLater() });
		await expect(run(h)).rejects.toThrow('The item has no retry state');
		expect(h.requests).toEqual([]);
	});

	it('refuses a retry schedule it cannot read before sending anything', async () => {
		const h = harness({ parameters: retryLater({ retrySchedule: '5 minutes' }) });
		await expect(run(h)).rejects.toThrow('"5 minutes" in the retry schedule is not a wait');
		expect(h.requests).toEqual([]);
	});

	it('leaves items with a retry field alone when retries are in-run only', async () => {
		const h = harness({ items: [{ json: { retry: 'maybe' } }] });
		const [[sent]] = await run(h);
		expect(h.requests).toHaveLength(1);
		expect(sent.json.deliveries).toMatchObject([{ ok: true }]);
	});
});
