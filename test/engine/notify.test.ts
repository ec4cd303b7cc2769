import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';

import { whsec } from '../support/events.cjs';
import { runWorkflow, type WorkflowJson } from './support/engine';
import { startReceiver, type Receiver } from './support/receiver.cjs';

const SECRET = whsec('engine tier notify secret 32 byt');
const credentials = { webhookSigningSecretApi: { secret: SECRET } };
let receiver: Receiver;

beforeAll(async () => {
	receiver = await startReceiver();
});
afterEach(() => receiver.reset());
afterAll(async () => await receiver.close());

/** Start → Items (the JSON given) → Notify, whose outputs lead to No Operation nodes named `outputNames`. */
function notifyWorkflow(
	items: IDataObject[],
	parameters: INodeParameters,
	{ onError, outputNames = ['After'] }: { onError?: string; outputNames?: string[] } = {},
): WorkflowJson {
	return {
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.scheduleTrigger', parameters: {} },
			{
				name: 'Items',
				type: 'n8n-nodes-base.code',
				parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
			},
			{
				name: 'Notify',
				type: 'n8n-nodes-flow-webhooks.notify',
				parameters,
				...(onError ? { onError: onError as 'continueErrorOutput' } : {}),
			},
			...outputNames.map((name) => ({ name, type: 'n8n-nodes-base.noOp', parameters: {} })),
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Notify', type: 'main', index: 0 }]] },
			Notify: { main: outputNames.map((node) => [{ node, type: 'main', index: 0 }]) },
		},
	};
}

const verified = (body: string, headers: Record<string, string>) =>
	new Webhook(SECRET).verify(body, headers);

describe("Notify in n8n's engine: delivery", () => {
	it.each([
		["n8n's HTTP helper", { reuseConnections: false }],
		['kept-alive connections, under n8n’s outbound policy', {}],
	])(
		'evaluates its expressions per item, sends each event signed through %s, and hands on the report paired to its item',
		async (_transport, options) => {
			const run = await runWorkflow(
				notifyWorkflow([{ name: 'Zoë' }, { name: 'Ann' }], {
					eventType: 'order.created',
					eventId: '={{ "evt-" + $json.name }}',
					eventData: '={{ { name: $json.name, upper: $json.name.toUpperCase() } }}',
					destinations: { destination: [{ url: receiver.url('/hook') }] },
					options,
				}),
				{ credentials },
			);
			expect(run.error).toBeUndefined();
			const requests = receiver.requests('/hook');
			expect(requests.map((request) => verified(request.body, request.headers))).toEqual([
				{
					type: 'order.created',
					timestamp: expect.any(String),
					data: { name: 'Zoë', upper: 'ZOË' },
				},
				{
					type: 'order.created',
					timestamp: expect.any(String),
					data: { name: 'Ann', upper: 'ANN' },
				},
			]);
			expect(requests.map((request) => request.headers['webhook-id'])).toEqual([
				'evt-Zoë',
				'evt-Ann',
			]);
			const delivered = (eventId: string, item: number) => ({
				json: {
					eventId,
					type: 'order.created',
					deliveries: [
						{
							url: receiver.url('/hook'),
							ok: true,
							status: 200,
							attempts: 1,
							durationMs: expect.any(Number),
							error: null,
							responseBody: '{"ok":true}',
							history: [{ at: expect.any(String), status: 200, error: null }],
						},
					],
				},
				pairedItem: [{ item }],
			});
			expect(run.outputs('Notify')).toEqual([[delivered('evt-Zoë', 0), delivered('evt-Ann', 1)]]);
			expect(run.output('After')).toHaveLength(2);
		},
	);
});

describe("Notify in n8n's engine: error policy", () => {
	/** Item 0 goes to /ok, item 1 to /down (503, twice, when told); no waits between attempts. */
	const oneFails = (down = 'down'): INodeParameters => ({
		eventType: 'order.created',
		eventId: '={{ "evt-" + $json.n }}',
		destinations: {
			destination: [{ url: `={{ "${receiver.url('/')}" + ($json.n === 0 ? "ok" : "${down}") }}` }],
		},
		options: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
	});
	const downFor = () => receiver.on('/down', () => ({ status: 503, body: 'unavailable' }));
	const failedReport = () => ({
		eventId: 'evt-1',
		type: 'order.created',
		deliveries: [
			{
				url: receiver.url('/down'),
				ok: false,
				status: 503,
				attempts: 2,
				durationMs: expect.any(Number),
				error: 'HTTP 503',
				responseBody: 'unavailable',
				history: [
					{ at: expect.any(String), status: 503, error: 'HTTP 503' },
					{ at: expect.any(String), status: 503, error: 'HTTP 503' },
				],
			},
		],
	});
	const failedMessage = () =>
		`1 of 1 deliveries of event evt-1 failed: ${receiver.url('/down')}: HTTP 503 (2 attempts)`;

	it('attempts every delivery, then stops the run with one error naming the failed URLs (never their query), and nothing runs after it', async () => {
		downFor();
		const run = await runWorkflow(
			notifyWorkflow([{ n: 0 }, { n: 1 }], oneFails('down?token=SECRET')),
			{ credentials },
		);
		expect(run.error).toMatchObject({
			name: 'NodeApiError',
			message: `1 of 2 deliveries failed: ${receiver.url('/down')} (HTTP 503)`,
			description: expect.stringContaining('Item 1, event evt-1'),
			node: { name: 'Notify' },
		});
		expect(`${run.error?.message} ${run.error?.description}`).not.toContain('SECRET');
		expect(receiver.requests('/ok')).toHaveLength(1);
		expect(receiver.requests('/down')).toHaveLength(2);
		expect(run.ran()).not.toContain('After');
	});

	it('with On Error › Continue, hands on every report, the failed one with its error, as n8n keeps it', async () => {
		downFor();
		const run = await runWorkflow(
			notifyWorkflow([{ n: 0 }, { n: 1 }], oneFails(), { onError: 'continueRegularOutput' }),
			{ credentials },
		);
		expect(run.error).toBeUndefined();
		expect(run.output('After')).toHaveLength(2);
		const [succeeded, failed] = run.output('Notify');
		expect(succeeded.json).toMatchObject({ eventId: 'evt-0', deliveries: [{ ok: true }] });
		expect(succeeded.json.error).toBeUndefined();
		expect(failed).toEqual({
			json: { ...failedReport(), error: failedMessage() },
			pairedItem: [{ item: 1 }],
		});
	});

	it('with On Error › Error Output, n8n routes the failed report there, the delivered one on', async () => {
		downFor();
		const run = await runWorkflow(
			notifyWorkflow([{ n: 0 }, { n: 1 }], oneFails(), {
				onError: 'continueErrorOutput',
				outputNames: ['After', 'Failed'],
			}),
			{ credentials },
		);
		expect(run.error).toBeUndefined();
		const [delivered, failed] = run.outputs('Notify');
		expect(delivered).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ eventId: 'evt-0' }) }),
		]);
		expect(failed).toEqual([
			{
				json: expect.objectContaining({ error: failedMessage(), details: failedReport() }),
				pairedItem: [{ item: 1 }],
			},
		]);
		expect(run.output('Failed')).toHaveLength(1);
	});

	it('stops the run at an item whose expression fails, naming the item, before sending anything', async () => {
		const run = await runWorkflow(
			notifyWorkflow([{ n: 0, order: { id: 1 } }, { n: 1 }], {
				...oneFails(),
				eventData: '={{ { id: $json.order.id } }}',
			}),
			{ credentials },
		);
		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message: "Parameter 'eventData' could not be 'undefined'",
			context: expect.objectContaining({ itemIndex: 1 }),
		});
		expect(receiver.requests('/ok')).toEqual([]);
	});

	it.each([
		['Continue', 'continueRegularOutput', 0],
		['Error Output', 'continueErrorOutput', 1],
	])(
		'with On Error › %s, hands on the error of an item it cannot build and still delivers the others',
		async (_setting, onError, errorOutput) => {
			const run = await runWorkflow(
				notifyWorkflow(
					[{ n: 0, type: 'order.created' }, { n: 1 }],
					{ ...oneFails(), eventType: '={{ $json.type ?? "" }}' },
					{ onError, outputNames: ['After', 'Failed'] },
				),
				{ credentials },
			);
			const outputs = run.outputs('Notify');
			expect(outputs[0][0]).toMatchObject({ json: { eventId: 'evt-0' } });
			expect(outputs[errorOutput].at(-1)).toEqual({
				json: expect.objectContaining({ error: 'The event type is empty.' }),
				pairedItem: [{ item: 1 }],
			});
			expect(receiver.requests('/ok')).toHaveLength(1);
			expect(receiver.requests('/down')).toEqual([]);
		},
	);
});

describe("Notify in n8n's engine: Retry Later", () => {
	it('hands an event still owed to a destination to Retry Later, and one delivered everywhere to Sent', async () => {
		receiver.on('/down', () => ({ status: 503 }));
		const run = await runWorkflow(
			notifyWorkflow(
				[{ n: 0 }, { n: 1 }],
				{
					eventType: 'order.created',
					retryMode: 'retryLater',
					retrySchedule: '1m, 1h',
					destinations: {
						destination: [
							{ url: `={{ "${receiver.url('/')}" + ($json.n === 0 ? "ok" : "down") }}` },
						],
					},
					options: { maxAttempts: 1 },
				},
				{ outputNames: ['Sent', 'Retry Later'] },
			),
			{ credentials },
		);
		expect(run.error).toBeUndefined();
		const [sent, retryLater] = run.outputs('Notify');
		expect(sent).toEqual([
			{
				json: expect.objectContaining({ deliveries: [expect.objectContaining({ ok: true })] }),
				pairedItem: [{ item: 0 }],
			},
		]);
		const [later] = retryLater;
		expect(later.pairedItem).toEqual([{ item: 1 }]);
		expect(later.json.retry).toMatchObject({
			round: 1,
			owed: [{ url: receiver.url('/down'), attempts: 1 }],
			body: receiver.requests('/down')[0].body,
		});
	});
});
