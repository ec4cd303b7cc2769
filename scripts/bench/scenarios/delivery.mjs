// Scenario 4, delivery: one execution sends the same 1,000 events to a local receiver through
// Notify (signed), through the built-in HTTP Request node (defaults, and batching tuned), and a bare
// Node.js loop sends them too. Times are node execution times from n8n's execution data.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ensureRuntime } from '../../lib/runtime.mjs';
import { SIGNING_SECRET } from '../../../test/e2e/fixtures.mjs';
import { deliveryEvents } from '../datasets.mjs';
import { watchMemory } from '../memory.mjs';
import { monotonicMicros } from '../profile.mjs';
import { DELIVERY_COUNT, DELIVERY_DESTINATION, IDS, PATHS } from '../workflows.mjs';

const WARMUP_RUNS = 1;
const MEASURED_RUNS = 3;
const IN_FLIGHT = 10;

const VARIANTS = {
	notify: { path: PATHS.notify, workflowId: IDS.notify, node: 'Notify', signed: true },
	httpDefault: {
		path: PATHS.httpDefault,
		workflowId: IDS.httpDefault,
		node: 'HTTP Request',
		signed: false,
	},
	httpTuned: {
		path: PATHS.httpTuned,
		workflowId: IDS.httpTuned,
		node: 'HTTP Request',
		signed: false,
	},
};

const expectedBytes = deliveryEvents(DELIVERY_COUNT).reduce(
	(sum, event) => sum + Buffer.byteLength(JSON.stringify(event)),
	0,
);

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** What reached the receiver since the last call (requests, body bytes, signed requests); forgets it. */
function takeArrivals(receiver) {
	const arrived = receiver.requests(DELIVERY_DESTINATION);
	receiver.reset();
	return {
		requests: arrived.length,
		bytes: arrived.reduce((sum, request) => sum + Buffer.byteLength(request.body), 0),
		signed: arrived.filter((request) => request.headers['webhook-signature']).length,
	};
}

function checkArrivals(arrived, runs, signed, label) {
	const wanted = {
		requests: DELIVERY_COUNT * runs,
		bytes: expectedBytes * runs,
		signed: signed ? DELIVERY_COUNT * runs : 0,
	};
	if (JSON.stringify(arrived) !== JSON.stringify(wanted)) {
		throw new Error(
			`${label}: the receiver got ${JSON.stringify(arrived)}, expected ${JSON.stringify(wanted)}`,
		);
	}
}

const utcMillis = (sqliteDate) => Date.parse(`${sqliteDate.replace(' ', 'T')}Z`);

/** Starts the workflow once through its webhook, waits for the run, and reads its timings. */
async function runOnce(n8n, receiver, variant, label) {
	receiver.reset();
	const response = await fetch(n8n.webhookUrl(variant.path), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	if (!response.ok)
		throw new Error(
			`${label}: starting the run failed: ${response.status} ${await response.text()}`,
		);
	await n8n.drain();
	const [execution] = await n8n.query(
		'SELECT id, status, startedAt, stoppedAt FROM execution_entity WHERE workflowId = ? ORDER BY id DESC LIMIT 1',
		[variant.workflowId],
	);
	if (execution?.status !== 'success')
		throw new Error(`${label}: the run ended with status ${execution?.status}`);
	const [{ data }] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		execution.id,
	]);
	checkArrivals(takeArrivals(receiver), 1, variant.signed, label);
	return {
		nodeMs: data.resultData.runData[variant.node][0].executionTime,
		executionMs: utcMillis(execution.stoppedAt) - utcMillis(execution.startedAt),
	};
}

async function measureVariant(n8n, receiver, name) {
	const memory = watchMemory(n8n.pid);
	try {
		for (let run = 0; run < WARMUP_RUNS; run++) await runOnce(n8n, receiver, VARIANTS[name], name);
		const startMicros = monotonicMicros(new Date());
		const measured = [];
		for (let run = 0; run < MEASURED_RUNS; run++)
			measured.push(await runOnce(n8n, receiver, VARIANTS[name], name));
		return {
			windows: [{ startMicros, endMicros: monotonicMicros(new Date()) }],
			nodeMs: median(measured.map((run) => run.nodeMs)),
			executionMs: median(measured.map((run) => run.executionMs)),
			runs: measured,
			memory: memory.stop(),
		};
	} finally {
		memory.stop();
	}
}

/**
 * The bare loop, in a child process on the same Node as n8n (the receiver stays in this one),
 * sending with `client`: `http` (a keep-alive agent) or `fetch`.
 */
async function measureBareLoop(receiver, client) {
	receiver.reset();
	const script = join(import.meta.dirname, '..', 'bare-sender.mjs');
	const runs = WARMUP_RUNS + MEASURED_RUNS;
	const senderArguments = [
		script,
		receiver.url(DELIVERY_DESTINATION),
		SIGNING_SECRET,
		DELIVERY_COUNT,
		IN_FLIGHT,
		runs,
		client,
	].map(String);
	const { stdout } = await promisify(execFile)(ensureRuntime().node, senderArguments, {
		encoding: 'utf8',
	});
	checkArrivals(takeArrivals(receiver), runs, true, `bare ${client} loop`);
	const measured = JSON.parse(stdout).slice(WARMUP_RUNS);
	return { ms: median(measured), runs: measured };
}

export async function delivery(n8n, receiver) {
	const results = {};
	for (const name of Object.keys(VARIANTS))
		results[name] = await measureVariant(n8n, receiver, name);
	results.bareLoop = await measureBareLoop(receiver, 'http');
	results.fetchLoop = await measureBareLoop(receiver, 'fetch');
	return results;
}
