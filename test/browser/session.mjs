// What both browser suites share: a cold n8n (the harness gives every run a new user folder) with
// a Chromium whose every page has a new profile, the owner's sign-in, where screenshots go, and a
// wait for what a locator cannot wait for by itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';

import { selectors } from 'playwright-core';

import { startN8n } from '../e2e/harness.mjs';
import { ensureChromium, launchChromium } from './chromium.mjs';

// The owner the harness sets up on its first REST call.
const OWNER = { email: 'owner@example.com', password: 'E2e-harness-passw0rd' };
const VIEWPORT = { width: 1440, height: 900 };
const IMAGES_DIR = join(import.meta.dirname, '../../docs/images');
// Notifications come and go on their own timers (a success one lingers longer on a loaded machine),
// so screenshots leave them out and show the same page on every run.
const WITHOUT_NOTIFICATIONS = '.el-notification { visibility: hidden; }';
// Only `npm run screenshots` writes the README's images; any other run, npm test's included,
// writes them into a temporary folder, so running the tests never changes a tracked file.
const refreshesImages = process.env.npm_lifecycle_event === 'screenshots';

/**
 * Starts n8n (`startN8n` options: workflows, credentials) with its owner account and Chromium.
 * Each `newPage` has its own browser context: nothing an earlier page stored carries over.
 */
export async function startEditor(options) {
	ensureChromium();
	const n8n = await startN8n(options);
	await n8n.rest('GET', '/workflows'); // creates the owner account
	const browser = await launchChromium();
	// n8n marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	const imagesDir = refreshesImages ? IMAGES_DIR : mkdtempSync(join(tmpdir(), 'n8n-screenshots-'));
	return {
		n8n,
		/** A page in a new context; `storageState` (from `signIn`) makes it signed in. */
		newPage: (storageState) => browser.newPage({ viewport: VIEWPORT, storageState }),
		screenshot: (page, name, options = {}) =>
			page.screenshot({
				path: join(imagesDir, `${name}.png`),
				style: WITHOUT_NOTIFICATIONS,
				...options,
			}),
		async stop() {
			await browser.close();
			await n8n.stop();
			if (!refreshesImages) rmSync(imagesDir, { recursive: true, force: true });
		},
	};
}

/** Signs the owner in on n8n's sign-in page; returns the session for `newPage`. */
export async function signIn(page, baseUrl) {
	await page.goto(`${baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
	await page.getByTestId('password').locator('input').fill(OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	return page.context().storageState();
}

/**
 * Adds a node of this package from the node panel as a user can: search, open its details, then
 * "Add to workflow" or one of its actions; its settings panel then opens. n8n 2.41 lets users drag
 * built-in nodes onto the canvas, but not community nodes (their entries are not draggable, except
 * in an AI Agent's Tools panel), so this clicks.
 */
export async function addCommunityNode(page, search, name, action) {
	await page.getByTestId('node-creator-search-bar').fill(search);
	await page
		.getByTestId('node-creator')
		.getByTestId('node-creator-item-name')
		.getByText(name, { exact: true })
		.click();
	const details = page.getByTestId('node-creator');
	if (action) await details.getByText(action, { exact: true }).click();
	else await details.getByRole('button', { name: 'Add to workflow' }).click();
	await page.getByTestId('ndv').getByTestId('node-parameters').waitFor();
}

/**
 * Reads again until `read()` returns `expected` (deeply equal) and fails with the last reading after
 * `timeoutMs`: playwright's expect.poll, which playwright-core leaves out. For what a locator cannot
 * wait for itself: a whole list, an input's value, an image having loaded.
 */
export async function eventually(read, expected, message, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	let actual = await read();
	for (let gap = 100; !isDeepStrictEqual(actual, expected) && Date.now() < deadline; ) {
		await pause(gap);
		gap = Math.min(gap * 2, 1_000);
		actual = await read();
	}
	assert.deepEqual(actual, expected, message);
}
