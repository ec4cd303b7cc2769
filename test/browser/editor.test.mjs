// The package as a user meets it in n8n's editor, in a real browser: the example workflows open with
// every node installed and free of issues, the node panel finds our nodes, and each node's settings
// panel opens. Screenshots are taken on the way (`npm run screenshots` keeps them for the README).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PACKAGE } from '../e2e/fixtures.mjs';
import { eventually, signIn, startEditor } from './session.mjs';

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
