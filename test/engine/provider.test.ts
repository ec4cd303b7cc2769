import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PUBLISH_KEY, WORKFLOW_ID } from '../unit/support/n8nContexts';
import { runWorkflow, type RunOptions, type WorkflowJson } from './support/engine';
import { published, publishPath, servePublishWebhook } from './support/publishWebhook';
import { startReceiver, type Receiver } from './support/receiver.cjs';

const NODE = { id: 'provider-in-engine', webhookId: 'provider-webhook-id' };
const PUBLISH_PATH = publishPath(NODE.webhookId);
const credentials = { dataProviderPublishKeyApi: { secret: PUBLISH_KEY } };
let receiver: Receiver;

beforeAll(async () => {
	receiver = await startReceiver();
});
afterEach(() => receiver.reset());
afterAll(async () => await receiver.close());

/** Start → Items (the JSON given) → Provider → After, saved under the workflow id its webhook knows. */
function providerWorkflow(
	items: IDataObject[],
	parameters: INodeParameters = {},
	onError?: 'continueRegularOutput',
): WorkflowJson {
	return {
		id: WORKFLOW_ID,
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.scheduleTrigger', parameters: {} },
			{
				name: 'Items',
				type: 'n8n-nodes-base.code',
				parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
			},
			{
				...NODE,
				name: 'Provider',
				type: 'n8n-nodes-flow-webhooks.externalDataProvider',
				typeVersion: 1.1,
				parameters,
				...(onError ? { onError } : {}),
			},
			{ name: 'After', type: 'n8n-nodes-base.noOp', parameters: {} },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Provider', type: 'main', index: 0 }]] },
			Provider: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
	};
}

/** A production run (a schedule's), with n8n's webhooks on the receiver. */
const production = (more: RunOptions = {}): RunOptions => ({
	credentials,
	webhookBaseUrl: receiver.url('/'),
	...more,
});

describe("External Data Provider in n8n's engine: publishing", () => {
	it("publishes a production run's items through its own webhook, signed, and passes them on paired; the run's static data stays untouched", async () => {
		const stored = servePublishWebhook(receiver, NODE);
		const staticData: IDataObject = {};
		const run = await runWorkflow(
			providerWorkflow([{ a: 1 }, { a: 2 }], { path: '={{ "orders" }}' }),
			production({ staticData }),
		);
		expect(run.error).toBeUndefined();
		expect(receiver.requests(PUBLISH_PATH)).toHaveLength(1);
		expect(published(stored)).toEqual([{ a: 1 }, { a: 2 }]);
		expect(staticData).toEqual({});
		expect(run.output('Provider')).toEqual([
			{ json: { a: 1 }, pairedItem: { item: 0 } },
			{ json: { a: 2 }, pairedItem: { item: 1 } },
		]);
		expect(run.hints('Provider')).toEqual([
			expect.objectContaining({ message: 'Published 2 items (17 bytes) as version 1.' }),
		]);
		expect(run.output('After')).toHaveLength(2);
	});

	it('publishes within the run, sending nothing, when the run holds the stored data; n8n keeps the new version with the workflow', async () => {
		const stored = servePublishWebhook(receiver, NODE);
		await runWorkflow(providerWorkflow([{ a: 1 }]), production());
		const staticData: IDataObject = JSON.parse(JSON.stringify({ 'node:Provider': stored }));
		receiver.reset();

		const run = await runWorkflow(providerWorkflow([{ a: 2 }]), production({ staticData }));
		expect(run.error).toBeUndefined();
		expect(receiver.requests(PUBLISH_PATH)).toEqual([]);
		expect(published(staticData['node:Provider'] as IDataObject)).toEqual([{ a: 2 }]);
		expect(run.hints('Provider')[0].message).toBe('Published 1 item (9 bytes) as version 2.');
	});

	it('publishes nothing in a manual run and warns on the output', async () => {
		servePublishWebhook(receiver, NODE);
		const staticData: IDataObject = {};
		const run = await runWorkflow(
			providerWorkflow([{ a: 1 }]),
			production({ mode: 'manual', startNode: 'Items', staticData }),
		);
		expect(run.output('Provider')).toHaveLength(1);
		expect(receiver.requests(PUBLISH_PATH)).toEqual([]);
		expect(staticData).toEqual({});
		expect(run.hints('Provider')).toEqual([
			expect.objectContaining({
				type: 'warning',
				message:
					'Nothing was published: n8n keeps no data from manual runs. Runs of the published workflow publish; this one would have published 1 item (9 bytes).',
			}),
		]);
	});
});

describe("External Data Provider in n8n's engine: refusals", () => {
	it('fails with a retryable error, publishing nothing, when its webhook holds another publish key', async () => {
		const stored = servePublishWebhook(receiver, NODE, {
			publishKey: 'example-key-after-rotation-0123456789abcdef',
		});
		const run = await runWorkflow(providerWorkflow([{ a: 1 }]), production());
		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message: "This node's webhook refused the publish (HTTP 401, publish_key_changed)",
			description: expect.stringContaining('run the workflow again'),
		});
		expect(stored).toEqual({});
		expect(run.ran()).not.toContain('After');
	});

	it('fails at once when n8n has no such webhook (the workflow is not published), or with Continue hands the error on as an item', async () => {
		receiver.on(PUBLISH_PATH, () => ({ status: 404 }));
		const stopped = await runWorkflow(providerWorkflow([{ a: 1 }]), production());
		expect(stopped.error).toMatchObject({
			message: "Could not publish through this node's webhook",
			description: expect.stringContaining(`${receiver.url(PUBLISH_PATH)} answered HTTP 404.`),
		});
		expect(receiver.requests(PUBLISH_PATH)).toHaveLength(1);

		const continued = await runWorkflow(
			providerWorkflow([{ a: 1 }], {}, 'continueRegularOutput'),
			production(),
		);
		expect(continued.error).toBeUndefined();
		expect(continued.output('Provider')).toEqual([
			{ json: { error: expect.stringMatching(/^Could not publish/) }, pairedItem: [{ item: 0 }] },
		]);
	});

	it('fails before sending anything when the node has no publish key credential', async () => {
		servePublishWebhook(receiver, NODE);
		const run = await runWorkflow(providerWorkflow([{ a: 1 }]), production({ credentials: {} }));
		expect(run.error).toMatchObject({
			message: 'The node has no Data Provider Publish Key credential.',
			description: expect.stringContaining('nobody who can merely read the workflow can publish'),
		});
		expect(receiver.requests(PUBLISH_PATH)).toEqual([]);
	});

	it('refuses data over its size limit without sending it, or with Continue hands the error on as one item paired to all', async () => {
		const stored = servePublishWebhook(receiver, NODE);
		const tooBig = [{ s: 'x'.repeat(2000) }, {}];
		const limit = { options: { maxDatasetMb: '={{ 0.001 }}' } };
		const stopped = await runWorkflow(providerWorkflow(tooBig, limit), production());
		expect(stopped.error).toMatchObject({
			message: expect.stringContaining('over the 1.0 KB limit, so it was not published'),
		});

		const continued = await runWorkflow(
			providerWorkflow(tooBig, limit, 'continueRegularOutput'),
			production(),
		);
		expect(continued.output('Provider')).toEqual([
			{
				json: { error: expect.stringMatching(/^The data is/) },
				pairedItem: [{ item: 0 }, { item: 1 }],
			},
		]);
		expect(receiver.requests(PUBLISH_PATH)).toEqual([]);
		expect(stored).toEqual({});
	});
});
