// "Listen for test event" in a real n8n: a refused request gets the production answer, and the
// editor stops listening and shows why in the trigger's panel (issue 19).
// A sender's check of the URL (a handshake) is answered as in production and the listening goes on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
	PREVIOUS_SECRET,
	SIGNING_SECRET,
	flowEvent,
	signingCredential,
	standardWebhookHeaders,
	triggerWorkflow,
	workflowId,
} from './fixtures.mjs';
import { startN8n } from './harness.mjs';
import { whsec } from '../support/events.cjs';
import { fixture, metaDelivery, SECRETS, slackDelivery } from '../senders/deliveries.mjs';

const WORKFLOW = workflowId('triggerListening');
const PATH = 'listening';
const TRIGGER = 'Flow Webhook Trigger';

/** Workflows whose sender checks the URL with a handshake, one per kind of handshake. */
const VERIFY_TOKEN = 'listening verify token';
const HANDSHAKE_SENDERS = {
	slack: { parameters: { verification: 'slack' } },
	meta: {
		parameters: {
			verification: 'meta',
			verifyToken: VERIFY_TOKEN,
			options: { eventTypeField: 'entry.0.changes.0.field' },
		},
	},
};
const senderWorkflow = (sender) => workflowId(`listening${sender}`);
const senderCredential = (sender) => ({
	id: workflowId(`listeningcred${sender}`),
	name: `Listening ${sender} secret`,
	type: 'webhookSigningSecretApi',
	data: { secret: SECRETS[sender] },
});

let n8n;

before(async () => {
	n8n = await startN8n({
		credentials: [signingCredential, ...Object.keys(HANDSHAKE_SENDERS).map(senderCredential)],
		workflows: [
			triggerWorkflow({ id: WORKFLOW, path: PATH }),
			...Object.entries(HANDSHAKE_SENDERS).map(([sender, { parameters }]) =>
				triggerWorkflow({
					id: senderWorkflow(sender),
					path: `listening-${sender}`,
					parameters,
					typeVersion: 2,
					credential: senderCredential(sender),
				}),
			),
		],
	});
});

after(async () => {
	await n8n?.stop();
});

/** Posts the same bytes and headers to a URL; the status and parsed body. */
async function post(url, body, headers) {
	const response = await fetch(url, { method: 'POST', headers, body });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Headers of a Standard Webhooks delivery whose sender used the whole "whsec_…" secret as plain
 * text instead of base64-decoding it, the most common first mistake: the reference library, given
 * that text base64-encoded behind "whsec_", signs with exactly those bytes.
 */
const signedWithSecretAsText = (body) =>
	standardWebhookHeaders(body, {
		secret: whsec(SIGNING_SECRET),
	});

/** The trigger's run in an execution: its error (message, description) and whether other nodes ran. */
async function triggerRun(executionId) {
	const [row] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		executionId,
	]);
	const runData = row.data.resultData.runData;
	return { error: runData[TRIGGER]?.[0]?.error, nodesRun: Object.keys(runData) };
}

/** Waits for the workflow's manual executions to reach `count`, and returns them. */
async function manualExecutions(count) {
	const executions = await n8n.waitForExecutions(WORKFLOW, count);
	return executions.filter((execution) => execution.mode === 'manual');
}

test('a refused request gets the production answer, ends the listening, and the panel shows the code, a diagnosis and the fix', async () => {
	const body = JSON.stringify(flowEvent());
	const headers = signedWithSecretAsText(body);
	const production = await post(n8n.webhookUrl(PATH), body, headers);
	assert.equal(production.status, 401);
	assert.equal(production.body.error, 'signature_mismatch');

	await n8n.listenForTestEvent(WORKFLOW, TRIGGER);
	const listening = await post(n8n.testWebhookUrl(PATH), body, headers);
	assert.deepEqual(listening, production);

	const [refused] = await manualExecutions(1);
	assert.equal(refused?.status, 'error');
	const { error, nodesRun } = await triggerRun(refused.id);
	assert.deepEqual(nodesRun, [TRIGGER], 'no other node ran');
	assert.match(error.message, /401 signature_mismatch/);
	assert.match(error.description, /"whsec_" included, as plain text/);
	assert.match(error.description, /Fix: /);
	// Neither the editor's message nor n8n's log holds a secret or the signature sent.
	const shown = JSON.stringify(error) + n8n.log();
	for (const secret of [SIGNING_SECRET, PREVIOUS_SECRET, headers['webhook-signature']])
		assert.ok(!shown.includes(secret) && !shown.includes(secret.slice(6)));

	// The editor no longer listens: the test URL is gone until "Listen for test event" again.
	const afterwards = await post(n8n.testWebhookUrl(PATH), body, headers);
	assert.equal(afterwards.status, 404);
	assert.deepEqual(
		(await n8n.executions(WORKFLOW)).map((execution) => execution.mode),
		['manual'],
		'production refusals start no execution',
	);
});

test('a correct event after that runs the workflow once, and the panel shows the item', async () => {
	await n8n.listenForTestEvent(WORKFLOW, TRIGGER);
	const event = flowEvent();
	const body = JSON.stringify(event);
	const accepted = await post(n8n.testWebhookUrl(PATH), body, standardWebhookHeaders(body));
	assert.equal(accepted.status, 202);
	const [, run] = await manualExecutions(2);
	assert.equal(run?.status, 'success');
	const output = await n8n.executionOutput(run.id);
	assert.equal(output[TRIGGER][0][0].sessionId, event.session_id);
	assert.ok(output.Received, 'the next node ran');
});

test('an unsigned request and a stale timestamp are explained too, each ending one listening', async () => {
	const body = JSON.stringify(flowEvent());
	const HOUR = 3600;
	// Headers are made right before sending: the stale ones are an hour old then.
	const cases = [
		{
			headers: () => ({ 'content-type': 'application/json' }),
			answer: [401, 'missing_signature'],
			explained: /webhook-id, webhook-timestamp, webhook-signature/,
		},
		{
			headers: () => standardWebhookHeaders(body, { at: new Date(Date.now() - HOUR * 1000) }),
			answer: [401, 'timestamp_out_of_tolerance'],
			explained:
				/(\d+) seconds behind n8n's clock; the tolerance is 300 seconds\. The signature itself is valid\./,
			behind: true,
		},
	];
	for (const [index, { headers, answer, explained, behind }] of cases.entries()) {
		await n8n.listenForTestEvent(WORKFLOW, TRIGGER);
		const sentAt = Date.now();
		const listening = await post(n8n.testWebhookUrl(PATH), body, headers());
		const answeredWithin = Math.ceil((Date.now() - sentAt) / 1000);
		assert.deepEqual([listening.status, listening.body.error], answer);
		const executions = await manualExecutions(3 + index);
		const { error, nodesRun } = await triggerRun(executions.at(-1).id);
		assert.deepEqual(nodesRun, [TRIGGER]);
		assert.match(error.description, explained);
		if (behind) {
			// An hour, plus however long the request took to be answered (a loaded machine is slow).
			const found = Number(explained.exec(error.description)[1]);
			assert.ok(found >= HOUR - 1 && found <= HOUR + answeredWithin + 1, `${found} seconds behind`);
		}
	}
	// n8n is unharmed by answering the error itself after the node's answer went out.
	const headers = standardWebhookHeaders(body, { id: 'msg_after_listening' });
	const production = await post(n8n.webhookUrl(PATH), body, headers);
	assert.deepEqual(production, {
		status: 202,
		body: { received: true, id: 'msg_after_listening' },
	});
	const run = await n8n.executionHolding(WORKFLOW, 'msg_after_listening');
	assert.deepEqual([run?.mode, run?.status], ['webhook', 'success'], 'the production run');
});

/** The sender's check of the URL, as it sends it to `url`; the status, Content-Type and body text. */
async function sendCheck(sender, url) {
	const sent =
		sender === 'slack'
			? fetch(url, {
					method: 'POST',
					...slackDelivery({ body: fixture('slack-url_verification') }),
				})
			: fetch(
					`${url}?${new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': '8012', 'hub.verify_token': VERIFY_TOKEN })}`,
				);
	const response = await sent;
	return [
		response.status,
		response.headers.get('content-type')?.split(';')[0],
		await response.text(),
	];
}

const CHECK_ANSWERS = {
	slack: [
		200,
		'application/json',
		JSON.stringify({ challenge: JSON.parse(fixture('slack-url_verification')).challenge }),
	],
	meta: [200, 'text/plain', '8012'],
};

for (const sender of Object.keys(HANDSHAKE_SENDERS)) {
	test(`${sender}: while listening, the sender's check of the URL is answered as in production and the listening goes on for the first event`, async () => {
		const path = `listening-${sender}`;
		await n8n.listenForTestEvent(senderWorkflow(sender), TRIGGER);
		assert.deepEqual(await sendCheck(sender, n8n.testWebhookUrl(path)), CHECK_ANSWERS[sender]);

		// Still listening: the next event is the test event, and the only run.
		const event = sender === 'slack' ? slackDelivery() : metaDelivery();
		const accepted = await fetch(n8n.testWebhookUrl(path), { method: 'POST', ...event });
		assert.equal(accepted.status, 202);
		const runs = await n8n.waitForExecutions(senderWorkflow(sender), 1);
		assert.deepEqual(
			runs.map(({ mode, status }) => [mode, status]),
			[['manual', 'success']],
		);
		const output = await n8n.executionOutput(runs[0].id);
		assert.equal(output[TRIGGER][0][0].event, sender === 'slack' ? 'app_mention' : 'messages');
	});
}
