// Every workflow in examples/ imports, publishes and answers in a real n8n, as `npm run dev` loads
// them; the feeds serve the guide's data shapes to the guide's own Python clients, and the flow
// session relay hands the documented events to a receiver written like the flow-session page's.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual, promisify } from 'node:util';

import { flowEvent, signedRequest } from './fixtures.mjs';
import { freePort, pollUntil, startN8n } from './harness.mjs';
import { startReceiver } from './receiver.mjs';
import { clientsDir, pythonWithRequests, startReceiverClient } from './userClients.mjs';

const run = promisify(execFile);

const examplesDir = join(import.meta.dirname, '../../examples');
const credentials = JSON.parse(readFileSync(join(examplesDir, 'credentials.json'), 'utf8'));
const demoSecret = credentials.find((credential) => credential.type === 'webhookSigningSecretApi')
	.data.secret;
const demoToken = credentials.find((credential) => credential.type === 'dataProviderAccessApi').data
	.token;
const exampleFiles = readdirSync(examplesDir).filter(
	(name) => name.endsWith('.json') && name !== 'credentials.json',
);

let n8n;
let appReceiver;

before(async () => {
	const port = await freePort();
	appReceiver = await startReceiverClient(demoSecret);
	// The examples address the dev instance on port 5678 and the user's app on port 3000; here they
	// address this instance and the receiver just started.
	const workflows = exampleFiles.map((name) =>
		JSON.parse(
			readFileSync(join(examplesDir, name), 'utf8')
				.replaceAll('http://localhost:5678/', `http://localhost:${port}/`)
				.replaceAll('http://localhost:3000/', appReceiver.url),
		),
	);
	n8n = await startN8n({ workflows, credentials, port });
});
after(async () => {
	appReceiver?.stop();
	await n8n?.stop();
});

function signedPost(path, event, id) {
	const { body, headers } = signedRequest(event, { secret: demoSecret, id });
	return fetch(n8n.webhookUrl(path), { method: 'POST', body, headers });
}

test('every example workflow is published', async () => {
	const published = (
		await n8n.query('SELECT id FROM workflow_entity WHERE activeVersionId IS NOT NULL')
	).map((row) => row.id);
	const ids = exampleFiles.map(
		(name) => JSON.parse(readFileSync(join(examplesDir, name), 'utf8')).id,
	);
	assert.deepEqual(published.sort(), ids.sort());
});

test('the data feeds answer with the { data, meta } envelope', async () => {
	for (const path of ['alerts', 'sensors', 'sensors/history', 'customers/insights']) {
		const response = await fetch(n8n.webhookUrl(path));
		assert.equal(response.status, 200, path);
		const body = await response.json();
		assert.deepEqual(Object.keys(body), ['data', 'meta'], path);
	}
});

test('the customer insights token feed needs its bearer token', async () => {
	assert.equal((await fetch(n8n.webhookUrl('customers/insights/secure'))).status, 401);
	const authorised = await fetch(n8n.webhookUrl('customers/insights/secure'), {
		headers: { authorization: `Bearer ${demoToken}` },
	});
	assert.equal(authorised.status, 200);
	// The feed's envelope, not n8n's own answer to a GET ({"message":"Workflow was started"}).
	assert.deepEqual(Object.keys(await authorised.json()), ['data', 'meta']);
});

test('the flow session relay accepts signed flow events', async () => {
	// A complete flow session event, as documented, which the relay's run forwards to the app; a
	// technology the documented sequence below does not use, so its printed lines stay apart.
	const event = flowEvent({
		event: 'technology.start',
		data: { technology_code: 'relay_acceptance_check' },
	});
	const response = await signedPost('flow-events', event, 'evt_example_relay');
	assert.equal(response.status, 202);
	assert.deepEqual(await response.json(), { received: true, id: 'evt_example_relay' });
	const run = await n8n.executionHolding('exFlowSessionRel', 'evt_example_relay', {
		triggerName: 'Flow events',
	});
	assert.equal(run?.status, 'success', 'the relay ran with the event');
	await appReceiver.waitFor((line) => line === 'Technology has started: relay_acceptance_check');
});

test("round trip: the sender's Notify delivers a signed event that the receiver's trigger accepts", async () => {
	const sent = await fetch(n8n.webhookUrl('round-trip/send'), { method: 'POST' });
	assert.equal(sent.status, 200);
	const report = await sent.json();
	assert.equal(report.deliveries?.[0]?.status, 202, JSON.stringify(report));
	const [received] = await n8n.waitForExecutions('exRoundTripRecvr', 1);
	assert.equal(received.status, 'success');
	const [[event]] = (await n8n.executionOutput(received.id))['Signed events in'];
	assert.equal(event.event, 'order.created');
	assert.equal(event.id, report.eventId);
});

/** What the feed at `path` serves now: its `data`. */
async function feedData(path, headers = {}) {
	return (await (await fetch(n8n.webhookUrl(path), { headers })).json()).data;
}

/** The feed's `data` once the example's Schedule Trigger (every minute) has published it. */
async function publishedData(path, isPublished, headers = {}) {
	const data = await pollUntil(async () => await feedData(path, headers), isPublished, {
		timeoutMs: 150_000,
		intervalMs: 1000,
	});
	assert.ok(isPublished(data), `${path} was never published`);
	return data;
}

const isIsoTime = (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

describe("the guide's data shapes and clients", () => {
	let feeds;
	before(async () => {
		feeds = {
			alerts: await publishedData('alerts', (data) => data.alerts.length > 0),
			sensors: await publishedData('sensors', (data) => 'sensor_readings' in data),
			history: await publishedData('sensors/history', (data) => data.length > 0),
			insights: await publishedData('customers/insights', (data) => 'customer_id' in data),
		};
	});

	test('the alert feed serves { alerts, last_updated, active_alerts_count } with upper-case severities', () => {
		const { alerts, last_updated, active_alerts_count } = feeds.alerts;
		assert.deepEqual(Object.keys(feeds.alerts), ['alerts', 'last_updated', 'active_alerts_count']);
		assert.ok(isIsoTime(last_updated));
		assert.equal(active_alerts_count, alerts.length);
		for (const alert of alerts) {
			assert.ok(['PRICE_BREAKOUT', 'VOLUME_SPIKE'].includes(alert.type), alert.type);
			assert.ok(['HIGH', 'MEDIUM', 'LOW'].includes(alert.severity), alert.severity);
			assert.match(alert.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			assert.equal(typeof alert.symbol, 'string');
			assert.equal(typeof alert.message, 'string');
			const numbers =
				alert.type === 'PRICE_BREAKOUT'
					? ['current_price', 'breakout_level']
					: ['volume', 'avg_volume'];
			for (const field of numbers) assert.equal(typeof alert[field], 'number', field);
		}
	});

	test('the customer insights feed serves the CRM object, behind the allowlist and the token alike', async () => {
		const { customer_id, insights, recommendations, last_interaction } = feeds.insights;
		assert.equal(customer_id, 'CUST_001');
		assert.equal(typeof insights.engagement_score, 'number');
		assert.ok(insights.preferred_products.every((product) => typeof product === 'string'));
		assert.equal(typeof insights.risk_profile, 'string');
		assert.equal(typeof insights.next_best_action, 'string');
		for (const recommendation of recommendations) {
			assert.deepEqual(Object.keys(recommendation), ['type', 'product', 'confidence', 'reason']);
			assert.equal(typeof recommendation.confidence, 'number');
		}
		assert.ok(isIsoTime(last_interaction));
		// The token feed is published right after the open one, by the same run (every minute): wait
		// until both serve what that run published.
		const { open, secure } = await pollUntil(
			async () => ({
				open: await feedData('customers/insights'),
				secure: await feedData('customers/insights/secure', {
					authorization: `Bearer ${demoToken}`,
				}),
			}),
			(feedsNow) =>
				'customer_id' in (feedsNow.secure ?? {}) &&
				isDeepStrictEqual(feedsNow.secure, feedsNow.open),
			{ timeoutMs: 150_000, intervalMs: 1000 },
		);
		assert.deepEqual(secure, open);
	});

	test('the sensor feed serves the monitoring object; its history is a plain list', () => {
		const { sensor_readings, alerts, system_status, last_reading } = feeds.sensors;
		for (const [sensor, unit] of [
			['temperature', 'Fahrenheit'],
			['humidity', 'Percent'],
		]) {
			const reading = sensor_readings[sensor];
			assert.deepEqual(Object.keys(reading), ['current', 'average', 'min', 'max', 'unit']);
			assert.equal(reading.unit, unit);
			assert.ok(reading.min <= reading.current && reading.current <= reading.max);
		}
		// One alert exactly when the current temperature is over the 75 °F threshold, none otherwise.
		const breached = sensor_readings.temperature.current > 75;
		assert.equal(alerts.length, breached ? 1 : 0, JSON.stringify(alerts));
		for (const alert of alerts) assert.equal(alert.type, 'THRESHOLD_BREACH');
		assert.equal(system_status, breached ? 'WARNING' : 'NORMAL');
		assert.ok(isIsoTime(last_reading));
		assert.deepEqual(Object.keys(feeds.history[0]), ['sensor', 'value', 'unit', 'measured_at']);
	});

	/** Runs one of the guide's clients (test/e2e/guide); the lines it printed. */
	async function runGuideClient(script, args) {
		const python = pythonWithRequests();
		const { stdout } = await run(python, [join(import.meta.dirname, 'guide', script), ...args], {
			timeout: 60_000,
		});
		return stdout.trimEnd().split('\n');
	}

	test("the alert dashboard's callback lists the newest ten alerts and charts their severities", async () => {
		const lines = await runGuideClient('alert_dashboard.py', [n8n.webhookUrl('alerts')]);
		const shown = lines.slice(0, -1);
		assert.equal(shown.length, Math.min(10, feeds.alerts.alerts.length));
		for (const line of shown) assert.match(line, /^\S+Z - [A-Z]+: .+ \[(red|orange|yellow)\]$/);
		assert.match(lines.at(-1), /^timeline: \d+ points, severities \[[\d., ]+\]$/);
	});

	test('the CRM sync updates the customer and logs each recommendation', async () => {
		const crm = await startReceiver();
		try {
			const lines = await runGuideClient('crm_sync.py', [
				n8n.webhookUrl('customers/insights'),
				crm.url(''),
			]);
			assert.deepEqual(lines, ['Successfully updated customer CUST_001 in CRM']);
			const [update] = crm.requests('/customers/CUST_001');
			const { custom_fields } = JSON.parse(update.body);
			assert.deepEqual(Object.keys(custom_fields), [
				'engagement_score',
				'risk_profile',
				'preferred_products',
				'next_best_action',
			]);
			const logged = crm.requests('/recommendations').map(({ body }) => JSON.parse(body));
			assert.equal(logged.length, feeds.insights.recommendations.length);
			assert.equal(logged[0].product, feeds.insights.recommendations[0].product);
		} finally {
			await crm.close();
		}
	});

	test("the IoT dashboard shows both sensors' current and average values and the last reading", async () => {
		const lines = await runGuideClient('iot_dashboard.py', [n8n.webhookUrl('sensors')]);
		assert.match(lines[0], /^Temperature [\d.]+°F Avg: [\d.]+°F$/);
		assert.match(lines[1], /^Humidity [\d.]+% Avg: [\d.]+%$/);
		assert.match(lines.at(-1), /^Last updated: \S+Z$/);
		assert.ok(!lines.some((line) => line.startsWith('Error')), lines.join('\n'));
	});

	test('the conditional, batch, caching, session, token and retrying patterns', async () => {
		const lines = await runGuideClient('patterns.py', [
			n8n.webhookUrl('sensors/history'),
			n8n.webhookUrl('sensors'),
			n8n.webhookUrl('customers/insights/secure'),
			demoToken,
		]);
		const reports = Object.fromEntries(
			lines.map((line) => {
				const [name, json] = line.split(/: (.*)/s);
				return [name, JSON.parse(json)];
			}),
		);
		assert.deepEqual(reports.get_data_if_changed, { first: ['data', 'meta'], again: null });
		assert.ok(reports.process_batch_updates.items >= feeds.history.length);
		assert.deepEqual(reports.DataCache, { 'same object twice': true });
		assert.equal(reports.create_resilient_session.status, 200);
		assert.deepEqual(reports.authenticated_request.keys, Object.keys(feeds.insights).sort());
		assert.deepEqual(reports.robust_data_fetch, { keys: ['data', 'meta'] });
	});
});

test('the flow session relay hands each documented event to a receiver written like the flow-session page', async () => {
	const { stdout } = await run(
		process.execPath,
		[join(clientsDir, 'send-flow-events.mjs'), n8n.webhookUrl('flow-events')],
		{ env: { ...process.env, WEBHOOK_SECRET: demoSecret } },
	);
	const sent = stdout.trimEnd().split('\n');
	assert.deepEqual(
		sent.map((line) => line.split(' ')[0] + ' ' + line.split(' ')[2]),
		['flow.start 202', 'technology.start 202', 'technology.end 202', 'flow.end 202'],
	);
	const printed = [];
	for (const line of [
		/^Flow has started: (sess_\S+)$/,
		/^Technology has started: document_check$/,
		/^Technology has ended: document_check$/,
		/^Flow has ended: (sess_\S+)$/,
	]) {
		printed.push(await appReceiver.waitFor((text) => line.test(text), 60_000));
	}
	const sessions = [printed[0], printed[3]].map((text) => text.split(': ')[1]);
	assert.equal(sessions[0], sessions[1], 'both flow events belong to the session sent');
});
