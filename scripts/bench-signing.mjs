// `npm run bench:signing`: cost per event of our Standard Webhooks sign and verify next to the
// `standardwebhooks` reference package, measured in the same process. Exits 1 if ours is slower
// on any row (or if the two disagree on a signature). Needs `npm run build` first (the npm script does it).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Webhook } from 'standardwebhooks';

import sign from '../dist/lib/signing/sign.js';
import verify from '../dist/lib/signing/verify.js';

const WARM_UP_MS = 100;
const SAMPLE_MS = 30;
const SAMPLES = 7;

const scheme = { kind: 'standardWebhooks' };
const signingSecret = `whsec_${randomBytes(32).toString('base64')}`;
const reference = new Webhook(signingSecret);
const id = 'msg_2LJmGbxOPQ0Oc4qTYgGpQk1DcSe';

/** A JSON body of exactly `bytes` ASCII bytes. */
function jsonBody(bytes) {
	const shell = '{"type":"flow.finished","data":{"padding":""}}';
	return shell.replace('""', `"${'x'.repeat(bytes - shell.length)}"`);
}

/** Runs `operation` `count` times; returns the milliseconds taken. Results are folded into `sink` so nothing is optimised away. */
let sink = 0;
function timeLoop(operation, count) {
	const start = performance.now();
	for (let i = 0; i < count; i++) sink += operation() ? 1 : 0;
	return performance.now() - start;
}

/** Iterations that take roughly `SAMPLE_MS`, after warming the operation up. */
function calibrate(operation) {
	const warmUpEnd = performance.now() + WARM_UP_MS;
	let runs = 0;
	while (performance.now() < warmUpEnd) {
		operation();
		runs++;
	}
	return Math.max(10, Math.round((runs * SAMPLE_MS) / WARM_UP_MS));
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Microseconds per call for each operation, sampled alternately so both see the same machine state. */
function compare(ours, theirs) {
	const counts = [calibrate(ours), calibrate(theirs)];
	const perCall = [[], []];
	for (let sample = 0; sample < SAMPLES; sample++) {
		[ours, theirs].forEach((operation, index) => {
			perCall[index].push((timeLoop(operation, counts[index]) * 1000) / counts[index]);
		});
	}
	return perCall.map(median);
}

function check(condition, message) {
	if (!condition) {
		console.error(`bench-signing: ${message}`);
		process.exit(1);
	}
}

const rows = [];
for (const [label, bytes] of [
	['1 KB', 1024],
	['64 KB', 64 * 1024],
]) {
	const body = jsonBody(bytes);
	check(Buffer.byteLength(body) === bytes, `the ${label} body has the wrong size`);
	const timestamp = Math.floor(Date.now() / 1000);
	const date = new Date(timestamp * 1000);

	// Both sides must agree before their speed means anything.
	const headers = sign.signWebhook({ scheme, secret: signingSecret, body, id, timestamp });
	check(
		headers['webhook-signature'] === reference.sign(id, date, body),
		`signatures differ for the ${label} body`,
	);
	check(
		verify.verifyWebhook({ scheme, headers, body, secrets: [signingSecret] }).ok,
		`ours rejects the ${label} body`,
	);
	reference.verify(body, headers, { jsonParse: false });

	const oursSign = () =>
		sign.signWebhook({ scheme, secret: signingSecret, body, id, timestamp })['webhook-signature'];
	const theirsSign = () => reference.sign(id, date, body);
	// Ours reads the clock itself, as the reference does. The reference's JSON parsing is turned off: ours does not parse.
	const oursVerify = () =>
		verify.verifyWebhook({ scheme, headers, body, secrets: [signingSecret] }).ok;
	const theirsVerify = () => {
		reference.verify(body, headers, { jsonParse: false });
		return true;
	};

	for (const [operation, ours, theirs] of [
		['sign', oursSign, theirsSign],
		['verify', oursVerify, theirsVerify],
	]) {
		const [oursMicros, theirsMicros] = compare(ours, theirs);
		rows.push({ label, operation, oursMicros, theirsMicros, ratio: oursMicros / theirsMicros });
	}
}

const header = ['body', 'operation', 'ours µs/event', 'standardwebhooks µs/event', 'ours/theirs'];
const lines = rows.map((row) => [
	row.label,
	row.operation,
	row.oursMicros.toFixed(2),
	row.theirsMicros.toFixed(2),
	`${row.ratio.toFixed(3)}${row.ratio > 1 ? '  SLOWER' : ''}`,
]);
const widths = header.map((title, column) =>
	Math.max(title.length, ...lines.map((line) => line[column].length)),
);
const format = (cells) =>
	cells
		.map((cell, column) =>
			column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
		)
		.join('  ');

console.log(
	`Standard Webhooks signing on Node ${process.version}: median of ${SAMPLES} samples of ~${SAMPLE_MS} ms each after ${WARM_UP_MS} ms warm-up (reference verify with jsonParse: false)`,
);
console.log(format(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const line of lines) console.log(format(line));

check(sink > 0, 'the timed operations did not run');
const slower = rows.filter((row) => row.ratio > 1);
if (slower.length > 0) {
	console.error(
		`bench-signing: ours is slower than standardwebhooks on ${slower.map((row) => `${row.label} ${row.operation}`).join(', ')}`,
	);
	process.exit(1);
}
