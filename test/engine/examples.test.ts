import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
} from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';

import alertFeed from '../../examples/alert-feed.json';
import demoCredentials from '../../examples/credentials.json';
import customerInsights from '../../examples/customer-insights.json';
import durableDelivery from '../../examples/durable-delivery.json';
import flowSessionRelay from '../../examples/flow-session-relay.json';
import roundTripReceiver from '../../examples/round-trip-receiver.json';
import roundTripSender from '../../examples/round-trip-sender.json';
import sensorMonitor from '../../examples/sensor-monitor.json';
import { flowEvent, signedRequest } from '../support/events.cjs';
import { WORKFLOW_ID } from '../unit/support/n8nContexts';
import { runFromWebhook, runWorkflow, type RunOptions, type WorkflowJson } from './support/engine';
import { published, servePublishWebhook } from './support/publishWebhook';
import { startReceiver, type Receiver } from './support/receiver.cjs';

// The part of each example after its webhook, as `npm run dev` imports it: the demo credentials,
// Notify's destinations moved to the receiver, providers publishing through their webhook there.
const credentials: Record<string, ICredentialDataDecryptedObject> = Object.fromEntries(
	demoCredentials.map(({ type, data }) => [type, JSON.parse(JSON.stringify(data))]),
);
const SIGNING_SECRET = credentials.webhookSigningSecretApi.secret as string;
const PUBLISH_KEY = credentials.dataProviderPublishKeyApi.secret as string;
let receiver: Receiver;

beforeAll(async () => {
	receiver = await startReceiver();
});
afterEach(() => receiver.reset());
afterAll(async () => await receiver.close());

/** The example with every Notify destination on the receiver, at /<node name>. */
function onReceiver(example: { nodes: unknown[] }): WorkflowJson & { nodes: INode[] } {
	const json = JSON.parse(JSON.stringify(example)) as WorkflowJson & { nodes: INode[] };
	for (const node of json.nodes.filter(({ type }) => type.endsWith('.notify'))) {
		const destinations = node.parameters.destinations as { destination: INodeParameters[] };
		for (const destination of destinations.destination) destination.url = receiverUrl(node.name);
	}
	return { ...json, id: WORKFLOW_ID };
}

const receiverUrl = (nodeName: string) => receiver.url(`/${encodeURIComponent(nodeName)}`);
const received = (nodeName: string) => receiver.requests(`/${encodeURIComponent(nodeName)}`);

/** A production run of the example, n8n's webhooks on the receiver. */
const production = (more: RunOptions = {}): RunOptions => ({
	credentials,
	webhookBaseUrl: receiver.url('/'),
	...more,
});

/** Runs a scheduled example and returns what each of its providers published. */
async function publishedBy(example: { nodes: unknown[] }): Promise<Record<string, unknown>> {
	const json = onReceiver(example);
	const providers = json.nodes.filter(({ type }) => type.endsWith('.externalDataProvider'));
	const stores = providers.map((node) => {
		const { id = '', webhookId = '' } = node;
		return servePublishWebhook(receiver, { id, webhookId }, { publishKey: PUBLISH_KEY });
	});
	const run = await runWorkflow(json, production());
	expect(run.error).toBeUndefined();
	return Object.fromEntries(providers.map(({ name }, index) => [name, published(stores[index])]));
}

const isoSeconds = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

describe("The examples' scheduled runs in n8n's engine", () => {
	it('Alert feed publishes the alerts its Code node detects', async () => {
		const { 'Alert feed': alerts } = await publishedBy(alertFeed);
		expect(alerts).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ type: 'PRICE_BREAKOUT', timestamp: isoSeconds }),
			]),
		);
	});

	it("Customer insights publishes one customer's insights at both its endpoints", async () => {
		const endpoints = await publishedBy(customerInsights);
		const insight = expect.objectContaining({
			customer_id: 'CUST_001',
			insights: expect.objectContaining({ preferred_products: ['AAPL', 'MSFT', 'GOOGL'] }),
		});
		expect(endpoints).toEqual({
			'Customer insights (internal)': insight,
			'Customer insights (token)': insight,
		});
	});

	it('Sensor monitor publishes the summary and appends every reading to the history', async () => {
		const endpoints = await publishedBy(sensorMonitor);
		expect(endpoints['Sensor dashboard feed']).toMatchObject({
			sensor_readings: { temperature: { unit: 'Fahrenheit' }, humidity: { unit: 'Percent' } },
			system_status: expect.stringMatching(/^(NORMAL|WARNING)$/),
		});
		expect(endpoints['Readings history']).toHaveLength(24);
	});
});

describe("The examples' runs after their webhook, in n8n's engine", () => {
	it('Flow session relay forwards each flow event the trigger routes, as a signed flow session event', async () => {
		const json = onReceiver(flowSessionRelay);
		const event = flowEvent({ event: 'technology.end', session_id: 'sess_relay', data: { ok: 1 } });
		const { run } = await runFromWebhook(
			json,
			'Flow events',
			signedRequest(event, { id: 'msg_relay_1', secret: SIGNING_SECRET }),
			{ credentials },
		);
		expect(run?.ran()).toEqual(['Flow events', 'Technology finished', 'Forward to your app']);
		const [forwarded] = received('Forward to your app');
		const body = new Webhook(SIGNING_SECRET).verify(forwarded.body, forwarded.headers);
		expect(forwarded.headers['webhook-id']).toBe('msg_relay_1');
		expect(body).toMatchObject({
			event: 'technology.end',
			session_id: 'sess_relay',
			data: { ok: 1 },
		});
	});

	it('Round trip: what the sender delivers, the receiver verifies and hands on', async () => {
		const sent = await runWorkflow(onReceiver(roundTripSender), {
			credentials,
			startNode: 'Send now',
			startData: [[{ json: {} }]],
		});
		expect(sent.error).toBeUndefined();
		const [delivery] = received('Notify receiver');
		const eventId = delivery.headers['webhook-id'];

		const { run } = await runFromWebhook(
			onReceiver(roundTripReceiver),
			'Signed events in',
			{ headers: delivery.headers, rawBody: Buffer.from(delivery.body) },
			{ credentials },
		);
		expect(run?.output('Received')).toEqual([
			expect.objectContaining({
				json: expect.objectContaining({
					id: eventId,
					event: 'order.created',
					data: expect.objectContaining({ event: 'order.created', currency: 'EUR' }),
				}),
			}),
		]);
	});

	it('Durable delivery waits until the retry is due while the receiver is down, then delivers', async () => {
		let down = true;
		receiver.on('/Notify%20receivers', () =>
			down ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200, body: '' },
		);
		const waiting = await runWorkflow(onReceiver(durableDelivery), {
			credentials,
			startNode: 'Send now',
			startData: [[{ json: {} }]],
		});
		expect(waiting.run.status).toBe('waiting');
		const [owed] = waiting.outputs('Notify receivers')[1];
		const retry = owed.json.retry as IDataObject;
		expect(waiting.run.waitTill).toEqual(new Date(retry.nextAttemptAt as string));

		down = false;
		const resumed = await waiting.resume();
		expect(resumed.run.status).toBe('success');
		const requests = received('Notify receivers');
		expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(
			new Set([retry.eventId]),
		);
		expect(resumed.output('Delivered')).toEqual([
			expect.objectContaining({
				json: expect.objectContaining({
					eventId: retry.eventId,
					deliveries: [expect.objectContaining({ ok: true, attempts: requests.length })],
				}),
			}),
		]);
	});

	it('Durable delivery gives up on the error output when the receiver refuses the event for good', async () => {
		receiver.on('/Notify%20receivers', () => ({ status: 410 }));
		const run = await runWorkflow(onReceiver(durableDelivery), {
			credentials,
			startNode: 'Send now',
			startData: [[{ json: {} }]],
		});
		expect(run.run.status).toBe('success');
		expect(run.output('Gave up')).toEqual([
			expect.objectContaining({
				json: expect.objectContaining({ error: expect.stringContaining('HTTP 410') }),
			}),
		]);
		expect(run.ran()).not.toContain('Wait for next attempt');
	});
});
