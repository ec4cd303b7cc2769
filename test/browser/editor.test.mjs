// The package as a user meets it in n8n's editor, in a real browser: the example workflows open with
// every node installed and free of issues, the node panel finds our nodes, and each node's settings
// panel opens. Screenshots are taken on the way (`npm run screenshots` keeps them for the README).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PACKAGE } from '../e2e/fixtures.mjs';
import { addCommunityNode, eventually, signIn, startEditor } from './session.mjs';

const examplesDir = join(import.meta.dirname, '../../examples');
const credentials = JSON.parse(readFileSync(join(examplesDir, 'credentials.json'), 'utf8'));
// Loaded as they are: nothing runs here, and their URLs then read localhost:5678 as in the README.
const examples = readdirSync(examplesDir)
	.filter((name) => name.endsWith('.json') && name !== 'credentials.json')
	.map((name) => JSON.parse(readFileSync(join(examplesDir, name), 'utf8')));

let editor;
let session;
let page;

before(async () => {
	editor = await startEditor({ workflows: examples, credentials });
});
after(async () => {
	await editor?.stop();
});

/**
 * Opens a workflow in a new browser context and waits until its nodes are on the canvas. n8n 2.41
 * opens its "Production Checklist" over a published workflow the first time a browser profile
 * shows it (it remembers that in IndexedDB), so in a new context it always opens, and is closed.
 */
async function openWorkflow(workflowId) {
	await page?.close();
	page = await editor.newPage(session);
	await page.goto(`${editor.n8n.baseUrl}/workflow/${workflowId}`);
	await page.getByTestId('canvas-node').first().waitFor();
	const closeChecklist = page.getByTestId('suggested-actions-close');
	await closeChecklist.click();
	await closeChecklist.waitFor({ state: 'hidden' });
}

const canvasNode = (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

test('the owner signs in and finds every example workflow', async () => {
	page = await editor.newPage();
	session = await signIn(page, editor.n8n.baseUrl);
	const cardNames = page.getByTestId('workflow-card-name');
	const missing = async () => {
		const listed = (await cardNames.allTextContents()).map((name) => name.trim());
		return examples.map((workflow) => workflow.name).filter((name) => !listed.includes(name));
	};
	await eventually(missing, [], 'examples missing from the workflow list');
});

const canvasShots = {
	exFlowSessionRel: 'editor-flow-session-relay',
	exAlertFeed00001: 'editor-alert-feed',
	exRoundTripSendr: 'editor-round-trip-sender',
};

for (const workflow of examples) {
	test(`"${workflow.name}" opens with every node installed, its icon shown and no issues`, async () => {
		await openWorkflow(workflow.id);
		const onCanvas = async () =>
			(
				await page
					.getByTestId('canvas-node')
					.evaluateAll((nodes) => nodes.map((node) => node.dataset.nodeName))
			).sort();
		await eventually(
			onCanvas,
			workflow.nodes.map((node) => node.name).sort(),
			'nodes on the canvas',
		);

		for (const node of workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE}.`))) {
			const icon = canvasNode(node.name).locator('img');
			const loaded = () => icon.evaluate((image) => image.complete && image.naturalWidth > 0);
			await eventually(loaded, true, `the icon of ${node.name} did not load`);
		}

		// n8n marks a node whose package is missing, or whose settings or credentials are incomplete.
		const count = (testId) => () => page.getByTestId(testId).count();
		await eventually(count('node-not-installed'), 0, 'a node is not installed');
		await eventually(count('node-issues'), 0, 'a node shows issues');
		if (canvasShots[workflow.id]) await editor.screenshot(page, canvasShots[workflow.id]);
	});
}

test('the node panel finds our nodes by "webhook", "data provider" and "notify"', async () => {
	await openWorkflow('exRoundTripSendr');
	await page.getByTestId('node-creator-plus-button').click();
	const searches = {
		webhook: ['Flow Webhook Trigger', 'Notify'],
		'data provider': ['External Data Provider'],
		notify: ['Notify'],
	};
	for (const [query, expected] of Object.entries(searches)) {
		await page.getByTestId('node-creator-search-bar').fill(query);
		const creator = page.getByTestId('node-creator');
		const names = creator.getByTestId('node-creator-item-name');
		for (const name of expected) await names.getByText(name, { exact: true }).waitFor();

		// The panel down to its last result: below that it is empty.
		const panel = await creator.boundingBox();
		const last = await creator.getByTestId('item-iterator-item').last().boundingBox();
		const height = last.y + last.height + 16 - panel.y;
		await editor.screenshot(page, `search-${query.replace(' ', '-')}`, {
			clip: { ...panel, height },
		});
	}
});

const panels = [
	{
		displayName: 'Flow Webhook Trigger',
		workflowId: 'exFlowSessionRel',
		node: 'Flow events',
		labels: ['Path', 'Verification', 'Event Types', 'One Output per Event Type'],
		credential: 'Demo signing secret',
	},
	{
		displayName: 'External Data Provider',
		workflowId: 'exAlertFeed00001',
		node: 'Alert feed',
		labels: ['Path', 'Publish Mode', 'Keep Newest Items', 'Authentication'],
		credential: 'Demo publish key',
		notice: 'The published data is public',
	},
	{
		displayName: 'Notify',
		workflowId: 'exRoundTripSendr',
		node: 'Notify receiver',
		labels: ['Operation', 'Event Format', 'Event Type', 'Signing', 'Destinations'],
		credential: 'Demo signing secret',
	},
];

for (const { displayName, workflowId, node, labels, credential, notice } of panels) {
	test(`${displayName}: its settings panel opens with its parameters`, async () => {
		await openWorkflow(workflowId);
		await canvasNode(node).dblclick();
		const panel = page.getByTestId('ndv');
		await panel.getByTestId('node-parameters').waitFor();
		for (const label of labels)
			await panel.getByTestId('input-label').getByText(label, { exact: true }).first().waitFor();
		const selected = panel.getByTestId('node-credentials-select').locator('input');
		await eventually(() => selected.inputValue(), credential, 'the selected credential');
		if (notice) await panel.getByText(notice).waitFor();
		await editor.screenshot(page, `panel-${displayName.toLowerCase().replaceAll(' ', '-')}`);
	});
}

// Our nodes by mouse, as far as n8n 2.41 allows: added by click (the node panel's community
// entries are not draggable), then moved and wired by dragging; from an AI Agent's Tools panel,
// where n8n lets them be dragged, Notify is dragged onto the agent.
const center = (box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

/** A real mouse drag (press, move in steps, release) between two points of the page. */
async function drag(from, to) {
	await page.mouse.move(from.x, from.y);
	await page.mouse.down();
	await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
	await page.mouse.move(to.x, to.y, { steps: 5 });
	await page.mouse.up();
}

/** Drags the node by its middle to `to`, and waits until it is there (within its size: the canvas snaps it to a grid). */
async function moveNode(name, to) {
	await drag(center(await canvasNode(name).boundingBox()), to);
	const near = async () => {
		const { x, y } = center(await canvasNode(name).boundingBox());
		return Math.abs(x - to.x) <= 64 && Math.abs(y - to.y) <= 64;
	};
	await eventually(near, true, `${name} did not move to where it was dragged`);
}

const handle = (name, kind, type = 'main') =>
	canvasNode(name).locator(
		`[data-test-id="canvas-node-${kind}-handle"][data-connection-type="${type}"]`,
	);

/** Adds a node from the panel the "+" at the top opens, placed where the canvas was last clicked. */
async function addAt(point, search, name, action) {
	await page.mouse.click(point.x, point.y); // on the empty canvas: nothing selected to connect to
	await page.getByTestId('node-creator-plus-button').click();
	await addCommunityNode(page, search, name, action);
	await page.keyboard.press('Escape');
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

test('our nodes are added by click, moved and connected by mouse drags, and Notify is dragged onto an AI Agent as its tool', async () => {
	await page?.close();
	page = await editor.newPage(session);
	await page.goto(`${editor.n8n.baseUrl}/workflow/new`);
	await page.getByTestId('canvas-add-button').click();
	await addCommunityNode(page, 'Flow Webhook', 'Flow Webhook Trigger');
	await page.keyboard.press('Escape');
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
	await addAt({ x: 300, y: 700 }, 'Notify', 'Notify', 'Send an event');
	await addAt({ x: 300, y: 700 }, 'data provider', 'External Data Provider');
	assert.equal(await page.locator('.vue-flow__edge').count(), 0, 'nodes were connected on adding');

	await moveNode('Flow Webhook Trigger', { x: 300, y: 300 });
	await moveNode('Notify', { x: 600, y: 200 });
	await moveNode('External Data Provider', { x: 600, y: 450 });
	for (const target of ['Notify', 'External Data Provider']) {
		const from = center(await handle('Flow Webhook Trigger', 'output').boundingBox());
		await drag(from, center(await handle(target, 'input').boundingBox()));
	}
	await eventually(() => page.locator('.vue-flow__edge').count(), 2, 'the dragged connections');

	// n8n's AI Agent opens its settings as soon as its entry is clicked.
	await page.mouse.click(200, 750);
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill('AI Agent');
	const agentEntry = page.getByTestId('node-creator').getByTestId('node-creator-item-name');
	await agentEntry.getByText('AI Agent', { exact: true }).click();
	await page.getByTestId('ndv').getByTestId('node-parameters').waitFor();
	await page.keyboard.press('Escape');
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
	await moveNode('AI Agent', { x: 800, y: 620 });

	// The agent's Tool "+" opens the node panel on its tools, where our entries can be dragged.
	await handle('AI Agent', 'input', 'ai_tool').getByTestId('canvas-handle-plus').click();
	await page.getByTestId('node-creator-search-bar').fill('Notify');
	const tool = page
		.getByTestId('node-creator')
		.locator('[draggable="true"]')
		.filter({
			has: page.getByTestId('node-creator-item-name').getByText('Notify Tool', { exact: true }),
		});
	await tool.dragTo(canvasNode('AI Agent'));
	await page.getByTestId('ndv').getByTestId('node-parameters').waitFor();
	await page.keyboard.press('Escape');

	await page.keyboard.press('Control+s');
	await page.waitForURL((url) => !url.pathname.endsWith('/new'));
	const workflowId = new URL(page.url()).pathname.split('/').pop();
	const saved = () => editor.n8n.rest('GET', `/workflows/${workflowId}`);
	// n8n names the second Notify "Notify1"; the save may still be on its way.
	await eventually(
		async () => (await saved()).connections,
		{
			'Flow Webhook Trigger': {
				main: [
					[
						{ node: 'Notify', type: 'main', index: 0 },
						{ node: 'External Data Provider', type: 'main', index: 0 },
					],
				],
			},
			Notify1: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		'the saved connections',
	);
	const { nodes } = await saved();
	assert.equal(nodes.find((node) => node.name === 'Notify1').type, `${PACKAGE}.notifyTool`);
	const position = (name) => nodes.find((node) => node.name === name).position;
	assert.ok(
		position('Flow Webhook Trigger')[0] < position('Notify')[0],
		'the trigger left of Notify',
	);
	assert.ok(
		position('Notify')[1] < position('External Data Provider')[1],
		'Notify above the provider',
	);
});
