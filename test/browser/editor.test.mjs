// The package as a user meets it in n8n's editor, in a real browser: the example workflows open with
// every node installed and free of issues, the node panel finds our nodes, and each node's settings
// panel opens. Screenshots are taken on the way: into docs/images with UPDATE_SCREENSHOTS=1, so the
// README shows this build, otherwise into a temporary folder, so a test run changes no tracked file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { selectors } from 'playwright-core';

import { PACKAGE } from '../e2e/fixtures.mjs';
import { startN8n } from '../e2e/harness.mjs';
import { ensureChromium, launchChromium } from './chromium.mjs';

const examplesDir = join(import.meta.dirname, '../../examples');
const imagesDir = process.env.UPDATE_SCREENSHOTS
	? join(import.meta.dirname, '../../docs/images')
	: mkdtempSync(join(tmpdir(), 'n8n-screenshots-'));
// The owner the harness sets up on its first REST call.
const OWNER = { email: 'owner@example.com', password: 'E2e-harness-passw0rd' };

const credentials = JSON.parse(readFileSync(join(examplesDir, 'credentials.json'), 'utf8'));
// Loaded as they are: nothing runs here, and their URLs then read localhost:5678 as in the README.
const examples = readdirSync(examplesDir)
	.filter((name) => name.endsWith('.json') && name !== 'credentials.json')
	.map((name) => JSON.parse(readFileSync(join(examplesDir, name), 'utf8')));

let n8n;
let browser;
let page;

before(async () => {
	ensureChromium();
	n8n = await startN8n({ workflows: examples, credentials });
	await n8n.rest('GET', '/workflows'); // creates the owner account
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	// n8n marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	mkdirSync(imagesDir, { recursive: true });
});
after(async () => {
	await browser?.close();
	await n8n?.stop();
	if (!process.env.UPDATE_SCREENSHOTS) rmSync(imagesDir, { recursive: true, force: true });
});

const screenshot = (name, options = {}) =>
	page.screenshot({ path: join(imagesDir, `${name}.png`), ...options });

/** Opens a workflow in the editor and waits until its nodes are on the canvas. */
async function openWorkflow(workflowId) {
	await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
	await page.getByTestId('canvas-node').first().waitFor();
	// n8n 2.41 opens a "Production Checklist" over published workflows; it would hide the canvas.
	const closeChecklist = page.getByTestId('suggested-actions-close');
	await closeChecklist.waitFor({ timeout: 5_000 }).then(
		() => closeChecklist.click(),
		() => {}, // not shown this time
	);
}

const canvasNode = (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

test('the owner signs in and finds every example workflow', async () => {
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
	await page.getByTestId('password').locator('input').fill(OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

	const cardNames = page.getByTestId('workflow-card-name');
	await cardNames.first().waitFor();
	const listed = (await cardNames.allTextContents()).map((name) => name.trim());
	for (const workflow of examples) assert.ok(listed.includes(workflow.name), workflow.name);
});

const canvasShots = {
	exFlowSessionRel: 'editor-flow-session-relay',
	exAlertFeed00001: 'editor-alert-feed',
	exRoundTripSendr: 'editor-round-trip-sender',
};

for (const workflow of examples) {
	test(`"${workflow.name}" opens with every node installed, its icon shown and no issues`, async () => {
		await openWorkflow(workflow.id);
		const onCanvas = await page
			.getByTestId('canvas-node')
			.evaluateAll((nodes) => nodes.map((node) => node.dataset.nodeName));
		assert.deepEqual(onCanvas.sort(), workflow.nodes.map((node) => node.name).sort());

		// n8n marks a node whose package is missing, or whose settings or credentials are incomplete.
		assert.equal(
			await page.getByTestId('node-not-installed').count(),
			0,
			'a node is not installed',
		);
		assert.equal(await page.getByTestId('node-issues').count(), 0, 'a node shows issues');

		for (const node of workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE}.`))) {
			const icon = canvasNode(node.name).locator('img');
			const loaded = await icon.evaluate((image) =>
				image.complete
					? image.naturalWidth > 0
					: new Promise((resolve) => {
							image.onload = () => resolve(true);
							image.onerror = () => resolve(false);
						}),
			);
			assert.ok(loaded, `the icon of ${node.name} did not load`);
		}
		if (canvasShots[workflow.id]) await screenshot(canvasShots[workflow.id]);
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
		await screenshot(`search-${query.replace(' ', '-')}`, { clip: { ...panel, height } });
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
		if (credential) {
			const selected = panel.getByTestId('node-credentials-select').locator('input');
			assert.equal(await selected.inputValue(), credential);
		}
		if (notice) await panel.getByText(notice).waitFor();
		await screenshot(`panel-${displayName.toLowerCase().replaceAll(' ', '-')}`);
	});
}
