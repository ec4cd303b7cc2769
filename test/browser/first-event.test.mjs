// A new user's first hour with the package, in a real browser on n8n 2.41.1: from an empty workflow,
// add the three nodes from the node panel, create their credentials in the editor's dialog, listen
// for a test event, see why a wrong-secret event is refused, see a correct one arrive, publish a
// provider and read its URL, and send Notify's test event. One screenshot, of the refusal as the
// trigger's panel shows it, is for the README (`npm run screenshots` keeps it).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Webhook } from 'standardwebhooks';

import { flowEvent, standardWebhookHeaders } from '../e2e/fixtures.mjs';
import { startReceiver } from '../e2e/receiver.mjs';
import { addCommunityNode, signIn, startEditor } from './session.mjs';
import { whsec } from '../support/events.cjs';

// What the user types into the credential dialogs.
const SECRET = whsec('first event journey secret, 32 b');
const TOKEN = 'first-event-journey-token-0123456789';
const PUBLISH_KEY = 'example-first-event-journey-publish-key-0123';
const TRIGGER_PATH = 'first-event';
const FEED_PATH = 'first-feed';

let editor;
let page;
let receiver;

before(async () => {
	editor = await startEditor();
	// Where Notify's test event goes: it keeps what arrived, then answers.
	receiver = await startReceiver();
	page = await editor.newPage();
});
after(async () => {
	await receiver?.close();
	await editor?.stop();
});

const ndv = () => page.getByTestId('ndv');

/** Creates the node's credential through the editor's dialog, filling `field` with `value`. */
async function createCredential(connectLabel, field, value) {
	await ndv().getByText(connectLabel).click();
	const dialog = page.getByTestId('editCredential-modal');
	await dialog.getByTestId(`parameter-input-${field}`).locator('input').fill(value);
	await dialog.getByTestId('credential-save-button').click();
	await dialog.waitFor({ state: 'hidden' });
}

/** The URL the node's panel shows under Webhook URLs, the test or the production one. */
async function webhookUrl(which, path) {
	// Its title says whether the section is folded (as n8n shows it for all but a few of its own nodes).
	const section = ndv().getByTitle(/^Click to (display|hide) webhook URLs$/);
	if ((await section.getAttribute('title')).includes('display')) await section.click();
	await ndv()
		.getByText(which === 'test' ? 'Test URL' : 'Production URL', { exact: true })
		.click();
	const prefix = which === 'test' ? 'webhook-test' : 'webhook';
	return (
		await ndv()
			.getByText(new RegExp(`/${prefix}/${path}$`))
			.innerText()
	).trim();
}

/** Clicks the trigger's "Execute step" and waits until n8n listens for the test event. */
async function listen() {
	await ndv().getByTestId('node-execute-button').click();
	await ndv().getByTestId('trigger-listening').waitFor();
}

async function post(url, body, headers) {
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, body: await response.json() };
}

test('the owner signs in and opens an empty workflow', async () => {
	await signIn(page, editor.n8n.baseUrl);
	await page.goto(`${editor.n8n.baseUrl}/workflow/new`);
	await page.getByText('Add first step').waitFor();
});

let testUrl;

test('the Flow Webhook Trigger: added from the node panel, its secret created in the dialog, and its panel says what to do', async () => {
	await page.getByTestId('canvas-add-button').click();
	await addCommunityNode(page, 'Flow Webhook', 'Flow Webhook Trigger');
	await createCredential('Connect to Webhook Signing Secret', 'secret', SECRET);
	await ndv().getByTestId('parameter-input-path').locator('input').fill(TRIGGER_PATH);
	await ndv()
		.getByText(
			'Click "Execute step" to listen, then POST a signed JSON event to the Test URL (Parameters › Webhook URLs)',
		)
		.waitFor();
	testUrl = await webhookUrl('test', TRIGGER_PATH);
	assert.match(testUrl, new RegExp(`/webhook-test/${TRIGGER_PATH}$`));
});

test('a wrong-secret event is refused, and the panel shows why and what to change', async () => {
	await listen();
	const body = JSON.stringify(flowEvent());
	// The sender used the whole "whsec_…" secret as text (the library signs with these bytes).
	const asText = whsec(SECRET);
	const answer = await post(testUrl, body, standardWebhookHeaders(body, { secret: asText }));
	assert.deepEqual([answer.status, answer.body.error], [401, 'signature_mismatch']);
	const message = ndv().getByTestId('node-error-message');
	await message.getByText('Refused: the sender was answered 401 signature_mismatch').waitFor();
	const diagnosis = ndv()
		.getByTestId('node-error-description')
		.filter({ hasText: /The sender uses the whole secret, "whsec_" included, as plain text/ })
		.filter({ hasText: /Fix: / });
	assert.ok(!(await diagnosis.innerText()).includes(SECRET.slice('whsec_'.length)));
	// n8n no longer listens: its listening view is gone and the button reads "Execute step" again.
	await ndv().getByTestId('trigger-listening').waitFor({ state: 'hidden' });
	await ndv().getByTestId('node-execute-button').getByText('Execute step').waitFor();
	await editor.screenshot(page, 'trigger-refusal-diagnosis');
});

test('a correct event then arrives as the trigger’s item', async () => {
	await listen();
	const event = flowEvent({ session_id: 'sess_first_event' });
	const body = JSON.stringify(event);
	const answer = await post(testUrl, body, standardWebhookHeaders(body, { secret: SECRET }));
	assert.equal(answer.status, 202);
	await ndv().getByTestId('node-run-status-success').waitFor();
	await ndv().getByTestId('ndv-data-container').getByText('sess_first_event').first().waitFor();
});

test("Notify's Send Test Event reaches its destination, signed with the same secret", async () => {
	await ndv().getByTestId('ndv-close-button').click();
	await page.getByTestId('canvas-handle-plus').first().click();
	await addCommunityNode(page, 'Notify', 'Notify', 'Send a test event');
	// The signing credential the trigger's dialog created is offered, and chosen, at once.
	const destination = receiver.url('/hooks');
	await ndv().getByRole('button', { name: 'Add Destination' }).click();
	await ndv().getByTestId('parameter-input-url').locator('input').fill(destination);
	await ndv().getByTestId('node-execute-button').click();
	await ndv().getByTestId('node-run-status-success').waitFor();
	// The receiver keeps an event before it answers, and the run succeeds only once it has answered.
	const received = receiver.requests('/hooks');
	assert.equal(received.length, 1);
	const verified = new Webhook(SECRET).verify(received[0].body, received[0].headers);
	assert.equal(verified.type, 'ping');
});

test('an External Data Provider: its publish key and token created in the dialog, published, read at the URL its panel shows', async () => {
	await page.goto(`${editor.n8n.baseUrl}/workflow/new`);
	await page.getByTestId('canvas-add-button').click();
	await page.getByTestId('node-creator-search-bar').fill('Schedule');
	await page.getByTestId('node-creator-node-item').filter({ hasText: 'Schedule Trigger' }).click();
	await ndv().getByTestId('ndv-close-button').click();
	await page.getByTestId('canvas-handle-plus').first().click();
	await addCommunityNode(page, 'data provider', 'External Data Provider');
	await ndv().getByTestId('parameter-input-path').locator('input').fill(FEED_PATH);
	await createCredential('Connect to Data Provider Publish Key', 'secret', PUBLISH_KEY);
	await ndv().getByTestId('parameter-input-authentication').click();
	await page.getByRole('option', { name: 'Bearer Token' }).click();
	await createCredential('Connect to Data Provider Access', 'token', TOKEN);
	const url = await webhookUrl('production', FEED_PATH);
	await ndv().getByTestId('ndv-close-button').click();
	await page.getByTestId('workflow-open-publish-modal-button').click();
	await page.getByTestId('workflow-publish-button').click();
	// The header's button reads "Published" once n8n has registered the workflow's webhooks.
	await page.getByTestId('workflow-open-publish-modal-button').getByText('Published').waitFor();

	const feed = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
	assert.equal(feed.status, 200);
	assert.deepEqual((await feed.json()).data, []);
	assert.equal((await fetch(url)).status, 401);
});
