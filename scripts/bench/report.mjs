// Writes one run's results: the raw JSON and a Markdown report (setup, targets, tables, and the
// hand-written analysis, which is kept from the previous report between its markers).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

import * as prettier from 'prettier';

import { ensureRuntime } from '../lib/runtime.mjs';

import { ENGINES } from './engines.mjs';
import { LOAD } from './load.mjs';
import { DELIVERY_COUNT, REMEMBERED, SERVED_COUNT, TUNED_BATCHING } from './workflows.mjs';
import {
	AUTHENTICATED_BUILTIN_ROW,
	checkTargets,
	FLOOR_ROW,
	PUBLISH_REFUSAL_KINDS,
	REFUSED_GET,
	REJECTION_KINDS,
} from './targets.mjs';

const ANALYSIS_START = '<!-- analysis:start (kept when the report is regenerated) -->';
const ANALYSIS_END = '<!-- analysis:end -->';

export function machine() {
	return {
		cpuModel: cpus()[0]?.model ?? 'unknown',
		cores: cpus().length,
		memoryGiB: Math.round(totalmem() / 2 ** 30),
		kernel: release(),
		loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
	};
}

const number = (value, digits = 0) =>
	value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (header, rows) =>
	[row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
const load = (m) => [
	number(m.requestsPerSecond),
	number(m.latencyP50Ms, 1),
	number(m.latencyP99Ms, 1),
];
/** The n8n server's CPU time per request sent (warm-up included, as is the CPU time), in ms. */
const cpuPerRequest = (m) =>
	m.serverCpuMs === undefined ? 'not measured' : number(m.serverCpuMs / m.requestsSent, 2);
const ratio = (ours, theirs) =>
	`${(ours.requestsPerSecond / theirs.requestsPerSecond).toFixed(2)}×`;

function throughputRows(byEngine) {
	const rows = [];
	for (const [engine, scenarios] of Object.entries(byEngine)) {
		const name = ENGINES[engine].label;
		const { ingest, rejection, serving, publishRefusal } = scenarios;
		const add = (scenario, label, ours, theirs) =>
			rows.push([
				scenario,
				name,
				label,
				...load(ours),
				...load(theirs),
				ratio(ours, theirs),
				`${ours.executions} / ${theirs.executions}`,
				`${number(ours.drainSeconds, 1)} / ${number(theirs.drainSeconds, 1)}`,
				`${cpuPerRequest(ours)} / ${cpuPerRequest(theirs)}`,
			]);
		if (ingest && !ingest.error) {
			add('1 ingest', 'accepted (202)', ingest.ours, ingest.builtin);
			add('1 ingest', 'accepted, 5,000 ids remembered', ingest.oursRemembering, ingest.builtin);
			add('1 ingest', FLOOR_ROW, ingest.floor, ingest.builtin);
			add('1 ingest', AUTHENTICATED_BUILTIN_ROW, ingest.builtinAuthenticated, ingest.builtin);
		}
		if (rejection && !rejection.error) {
			for (const [kind, label] of Object.entries(REJECTION_KINDS))
				add('2 rejection', label, rejection.ours[kind], rejection.builtin);
		}
		if (serving && !serving.error) {
			add('3 serving', '200', serving.ours, serving.builtin);
			add('3 serving', '304 (If-None-Match)', serving.oursNotModified, serving.builtin);
		}
		if (publishRefusal && !publishRefusal.error) {
			const { ours, builtin } = publishRefusal;
			add('6 publish refusal', REFUSED_GET, ours.refusedGet, builtin);
			for (const [kind, label] of Object.entries(PUBLISH_REFUSAL_KINDS))
				add('6 publish refusal', label, ours[kind], builtin);
		}
	}
	return rows;
}

function persistedIdsSentence(byEngine) {
	const stored = (kept, accepted) =>
		`${number(kept.count)} event id${kept.count === 1 ? '' : 's'} (${number(kept.staticDataBytes)} bytes) after ${number(accepted)} accepted events`;
	const counts = Object.entries(byEngine)
		.filter(([, { ingest }]) => ingest && !ingest.error)
		.map(
			([engine, { ingest }]) =>
				`${stored(ingest.persistedEventIds, ingest.ours.executions)} (the second trigger: ${stored(ingest.persistedEventIdsRemembering, ingest.oursRemembering.executions)} on top of its 5,000) under ${ENGINES[engine].label}`,
		);
	if (counts.length === 0) return '';
	return `The trigger's workflow static data, which n8n reads on every request to it and which is all that remembers accepted event ids across a restart, held ${counts.join(', and ')}. ${unsavedSentence(byEngine)}`;
}

/** What a crash could let run twice, from the ingest scenario's save-window measurement. */
function unsavedSentence(byEngine) {
	const measured = Object.entries(byEngine)
		.filter(([, { ingest }]) => ingest?.unsavedAcknowledged)
		.map(([engine, { ingest }]) => {
			const { most, polls, acknowledged, seconds } = ingest.unsavedAcknowledged;
			return `${number(most)} under ${ENGINES[engine].label} (${number(acknowledged)} events acknowledged in ${seconds} s, record read ${polls} times)`;
		});
	if (measured.length === 0) return '';
	return `Saves are spaced (one per second per trigger at most), so a crash can leave the last acknowledged ids unsaved, and their redeliveries would run a second time: while events streamed in at full speed, at most ${measured.join(', ')} acknowledged events were missing from the saved record at once.`;
}

/** `[path, measurement]` for every load measurement inside a scenario's result. */
function loadMeasurements(value, path) {
	if (value === null || typeof value !== 'object') return [];
	const own = 'expectedResponses' in value ? [[path.join(' › '), value]] : [];
	return [
		...own,
		...Object.entries(value).flatMap(([key, child]) => loadMeasurements(child, [...path, key])),
	];
}

/** Answers other than the one a row measures (a 409 is never counted as a duplicate), or that there were none. */
function otherAnswersSentence(byEngine) {
	const others = Object.entries(byEngine).flatMap(([engine, scenarios]) =>
		loadMeasurements(scenarios, [])
			.filter(([, m]) => m.responses + m.errors > m.expectedResponses)
			.map(
				([path, m]) =>
					`${path} under ${ENGINES[engine].label}: ${number(m.responses + m.errors - m.expectedResponses)} of ${number(m.responses + m.errors)} were not ${m.expectedAnswer} (statuses ${JSON.stringify(m.statusCounts)}, ${m.errors} without an answer)`,
			),
	);
	return others.length === 0
		? 'Every answer in these rows was the one its row names: no 409 (`delivery_in_progress`), no second acceptance of a duplicate, no error.'
		: `Answers other than the one a row names (counted as they came, never as the row's answer): ${others.join('; ')}.`;
}

/** How the originals of the duplicate rows were delivered before they were replayed. */
function primingSentence(byEngine) {
	const primed = Object.entries(byEngine)
		.filter(([, { rejection }]) => rejection?.primed)
		.map(
			([engine, { rejection }]) =>
				`answers ${JSON.stringify(rejection.primed.answers)} and ${rejection.primed.executions} runs stored under ${ENGINES[engine].label}`,
		);
	if (primed.length === 0) return '';
	return `The duplicate row replays events that n8n had acknowledged (202) and stored before the row started, each original sent again on a 409 or 5xx until acknowledged, as a sender would (the row with 5,000 remembered ids replays ids written into that trigger's static data beforehand): ${primed.join(', ')}.`;
}

function servedBytesSentence(byEngine) {
	const served = Object.values(byEngine).find(({ serving }) => serving && !serving.error)?.serving;
	if (!served) return '';
	return `Serving bodies: ${number(served.bodyBytes.ours)} bytes from the provider, ${number(served.bodyBytes.builtin)} bytes from Respond to Webhook.`;
}

/** The size of the forged publishes' body. */
function publishRefusalSentence(byEngine) {
	const measured = Object.values(byEngine).find(
		({ publishRefusal }) => publishRefusal && !publishRefusal.error,
	)?.publishRefusal;
	if (!measured) return '';
	return `Forged publishes carry the ${number(measured.publishBodyBytes)}-byte body of a run publishing the served dataset.`;
}

function deliveryRows(byEngine) {
	return Object.entries(byEngine)
		.filter(([, { delivery }]) => delivery && !delivery.error)
		.map(([engine, { delivery: d }]) => [
			ENGINES[engine].label,
			`${number(d.notify.nodeMs)} (${number(d.notify.executionMs)})`,
			`${number(d.httpDefault.nodeMs)} (${number(d.httpDefault.executionMs)})`,
			`${number(d.httpTuned.nodeMs)} (${number(d.httpTuned.executionMs)})`,
			number(d.bareLoop.ms),
			d.fetchLoop ? number(d.fetchLoop.ms) : 'not measured',
			`${(d.httpDefault.nodeMs / d.notify.nodeMs).toFixed(2)}×`,
			`${(d.httpTuned.nodeMs / d.notify.nodeMs).toFixed(2)}×`,
			`${(d.notify.nodeMs / d.bareLoop.ms).toFixed(2)}×`,
			d.fetchLoop ? `${(d.notify.nodeMs / d.fetchLoop.ms).toFixed(2)}×` : 'not measured',
		]);
}

function memoryRows(byEngine) {
	const rows = [];
	for (const [engine, { serving, delivery }] of Object.entries(byEngine)) {
		const measured = [
			...(serving && !serving.error
				? [
						['3 serving', 'External Data Provider 200', serving.ours],
						['3 serving', 'External Data Provider 304', serving.oursNotModified],
						['3 serving', 'Webhook + Respond to Webhook', serving.builtin],
					]
				: []),
			...(delivery && !delivery.error
				? [
						['4 delivery', 'Notify', delivery.notify],
						['4 delivery', 'HTTP Request defaults', delivery.httpDefault],
						['4 delivery', 'HTTP Request batched', delivery.httpTuned],
					]
				: []),
		];
		for (const [scenario, variant, { memory }] of measured) {
			rows.push([
				scenario,
				ENGINES[engine].label,
				variant,
				`${memory.serverStartMib} → ${memory.serverPeakMib}`,
				`${memory.groupStartMib} → ${memory.groupPeakMib}`,
			]);
		}
	}
	return rows;
}

/** `[label, measurement]` for every profiled measurement inside a scenario's result. */
function profiled(value, path) {
	if (value === null || typeof value !== 'object') return [];
	const own = value.profile ? [[path.join(' › '), value]] : [];
	const inner = Object.entries(value).filter(([key]) => key !== 'profile');
	return [...own, ...inner.flatMap(([key, child]) => profiled(child, [...path, key]))];
}

function profileLines(byEngine) {
	const shares = (list) =>
		list.map(({ name, share }) => `${name} ${Math.round(share * 100)}%`).join(', ');
	return Object.entries(byEngine).flatMap(([engine, scenarios]) =>
		profiled(scenarios, []).map(
			([label, { profile }]) =>
				`- **${label}, ${ENGINES[engine].label}** (main thread busy ${Math.round(profile.busyShare * 100)}% of the time)  \n` +
				`  by package: ${shares(profile.areas.slice(0, 6))}  \n` +
				`  including callees: ${shares(profile.inclusiveTime.slice(0, 8))}`,
		),
	);
}

function previousAnalysis(markdownFile) {
	if (!existsSync(markdownFile)) return 'No analysis yet.';
	const text = readFileSync(markdownFile, 'utf8');
	const start = text.indexOf(ANALYSIS_START);
	const end = text.indexOf(ANALYSIS_END);
	return start >= 0 && end > start
		? text.slice(start + ANALYSIS_START.length, end).trim()
		: 'No analysis yet.';
}

/** The Markdown report of `json` (what benchmarks.json holds): the kept `analysis`, the `failed` scenarios. */
function markdown(json, analysis, failed) {
	const {
		machineAtStart,
		machineAtEnd,
		results: byEngine,
		targets,
		profiled: isProfiled,
		versions,
	} = json;
	const verdict = (met) => (met === null ? 'not measured' : met ? '**met**' : '**missed**');
	return `# Benchmarks

Generated by \`npm run bench\` (\`scripts/bench/\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Every ratio compares our node with the built-in way of doing the same job, measured in the same run on the same machine; absolute numbers depend on the machine and on what else it was doing.${failed.length > 0 ? `\n\n**Scenarios that could not run:** ${failed.join(', ')} (see \`docs/benchmarks.json\` for why).` : ''}

## Setup

- Machine: ${machineAtStart.cores} cores, ${machineAtStart.cpuModel}, ${machineAtStart.memoryGiB} GiB memory, Linux ${machineAtStart.kernel}. Load average (1, 5, 15 min) ${machineAtStart.loadAverage.join(', ')} at the start and ${machineAtEnd.loadAverage.join(', ')} at the end: anything well above 0 means other work shared the cores.
- n8n ${versions.n8n} on Node.js ${versions.runtimeNode} (the project's pinned runtime), SQLite, regular execution mode, default settings except the expression engine: one instance with the default engine (\`vm\`), one with \`vm\` and \`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true\` (an isolate is taken only when an expression is evaluated), then one with \`N8N_EXPRESSION_ENGINE=legacy\`, each with all scenario workflows published.
- Load: autocannon ${LOAD.connections} connections on loopback, ${LOAD.durationSeconds} s measured per row, from the bench process (Node.js ${process.versions.node}) on the same cores as n8n. The ingest, rejection and serving rows are measured in turns: ${LOAD.rounds} rounds, each giving every row ${number(LOAD.durationSeconds / LOAD.rounds, 1)} s after a ${LOAD.warmupSeconds} s warm-up, every other round in reverse order, so that no row takes n8n's warm-up or one stretch of the machine's drift alone; a row's throughput is its answers over all its rounds (the rounds' own in the JSON, \`roundsPerSecond\`). The publish refusal rows: ${LOAD.warmupSeconds} s warm-up, then measured at once. Latencies are per request, in milliseconds (p50: the median of the rounds'; p99: the highest). After each measurement the bench waits until n8n has finished the executions it started.
- Ingest and rejection requests are signed ahead of time with the \`standardwebhooks\` reference library; accepted ones each carry a fresh event id. The trigger accepts \`flow.start\` only (so \`flow.end\` events are the filtered ones), with verification and duplicate detection on (defaults). Duplicates are replays of events that n8n acknowledged (202, so stored) before their row started. A second trigger workflow starts with ${number(REMEMBERED.count)} remembered event ids in its static data (the default maximum, written by the trigger's own code), as a busy trigger has after a day; its rows show what a full duplicate store costs. Two more triggers are set to sender presets, Slack (an HMAC over \`v0:{timestamp}:{body}\`) and Discord (an Ed25519 signature checked with the app's public key), and sent forgeries shaped as those senders' deliveries (their headers and example payloads, signed with a wrong signing secret or another key pair): a preset should cost what the default scheme costs. The built-in side is a Webhook node (typeVersion 2, POST, respond immediately, no verification) followed by a No-Op, sent the same requests. Both sides give the same durable answer: n8n sends it only after \`WorkflowRunner.run()\` has stored the execution with its item (\`onReceived\` in n8n's \`webhook-helpers.js\`; the trigger declares \`responseCode: 202\` and lets n8n answer, the Webhook node answers 200 the same way).
- Serving: ${SERVED_COUNT} items published by a run of the provider's workflow, read without authentication; the built-in side is Webhook (GET, respond with Respond to Webhook) + Respond to Webhook returning the same JSON as fixed text.
- Delivery: one execution sends ${number(DELIVERY_COUNT)} events of ~250 bytes (the same bodies on every side) to a keep-alive \`node:http\` receiver in the bench process that answers 200 at once. Notify: Standard Webhooks signing, concurrency 10 (its default). HTTP Request 4.2: JSON body \`{{ $json }}\`, default options (all requests at once), and batched (${TUNED_BATCHING.batchSize} items per batch, ${TUNED_BATCHING.batchInterval} ms apart). Bare loop: a Node.js ${versions.runtimeNode} child process, \`http.Agent({ keepAlive: true })\`, 10 in flight, signing each event; fetch loop: the same with the global \`fetch\`, the only keep-alive client n8n's rules for community nodes leave them. Times are the median of 3 runs after 1 warm-up run: the node's execution time from n8n's execution data, with the whole execution (\`startedAt\` to \`stoppedAt\`) in brackets.
- Memory: resident memory polled every 100 ms from \`/proc\` during each measurement (over all its rounds), for the n8n server process and for its whole process group (task runners included), in MiB, at the start → peak.
- Publish refusal (scenario 6): an External Data Provider holding the served dataset, its readers needing a bearer token. Sent: GETs without a token (401), publishes to its publish webhook signed as a run signs them (the package's own signer) but with a key derived from another publish key, with the \`publish-key-id\` header (answered before any digest of the body) and without it (the signature is checked), and those without it from one address that has used up its ten refusals a minute (429, answered before any check). n8n runs with \`N8N_PROXY_HOPS=1\` for every scenario and takes the client address from X-Forwarded-For, which only this scenario sends: every 401 request comes from an address of its own, so none is limited. Only the ratio to the refused GET of the same provider is a target; the built-in side is a Webhook node (GET, Header Auth asking for \`Authorization: Bearer …\`) answering 403 to GETs sent as ours are (no header, each from an address of its own).
- ${isProfiled ? 'This run was profiled (`--profile`: the n8n server ran with `--cpu-prof`), which slows it slightly.' : 'Not profiled (`npm run bench -- --profile` adds a CPU profile of the n8n server, summed up per measurement).'}

## Targets

${table(
	['Scenario', 'Engine', 'Target', 'Measured', 'Verdict'],
	targets.map((t) => [t.scenario, ENGINES[t.engine].label, t.target, t.measured, verdict(t.met)]),
)}

## Throughput and latency (scenarios 1–3 and 6)

${table(['Scenario', 'Engine', 'Requests to ours', 'Ours req/s', 'p50', 'p99', 'Built-in req/s', 'p50', 'p99', 'Ours ÷ built-in', 'Executions ours / built-in', 'Backlog s ours / built-in', 'n8n CPU ms per request ours / built-in'], throughputRows(byEngine))}

Executions are counted in n8n's database for the workflow over warm-up and measurement. Backlog is how long n8n still needed, after the last response, to finish the executions it had started. n8n CPU per request is the n8n server process's CPU time (all its threads, SQLite's included) over warm-up, measurement and backlog, divided by the requests sent in them: what a request costs n8n whatever else the machine did, where throughput also moves with the machine's noise. Both ingest sides answer once the execution is stored and before it runs, so their backlog is acknowledged work waiting for its turn, which a crash does not lose (n8n marks such executions crashed at restart, each with its item); in rows where ours starts no run, it is only how long the bench's check takes. ${primingSentence(byEngine)} ${publishRefusalSentence(byEngine)} ${otherAnswersSentence(byEngine)} ${persistedIdsSentence(byEngine)} ${servedBytesSentence(byEngine)}

## Delivery of ${number(DELIVERY_COUNT)} events (scenario 4), milliseconds

${table(['Engine', 'Notify', 'HTTP Request defaults', 'HTTP Request batched', 'Bare loop', 'Fetch loop', 'Defaults ÷ Notify', 'Batched ÷ Notify', 'Notify ÷ bare loop', 'Notify ÷ fetch loop'], deliveryRows(byEngine))}

## Memory (scenario 5), MiB

${table(['Scenario', 'Engine', 'Measured', 'n8n server', 'Process group'], memoryRows(byEngine))}
${isProfiled ? `\n## CPU profile of the n8n server per measurement\n\nShares of the main thread's busy samples.\n\n${profileLines(byEngine).join('\n')}\n` : ''}
## Where the time goes, and what would close the gaps

${ANALYSIS_START}
${analysis}
${ANALYSIS_END}
`;
}

/**
 * Writes both files into `directory` (docs/ for full runs), the Markdown formatted by the project's
 * Prettier settings; returns the Markdown file and the scenarios that failed.
 */
export async function writeReport({ machineAtStart, byEngine, isProfiled, directory }) {
	const machineAtEnd = machine();
	const targets = checkTargets(byEngine);
	const failed = Object.entries(byEngine).flatMap(([engine, scenarios]) =>
		Object.entries(scenarios)
			.filter(([, result]) => result.error)
			.map(([scenario]) => `${scenario} (${engine})`),
	);
	const markdownFile = join(directory, 'benchmarks.md');
	const analysis = previousAnalysis(markdownFile);
	const runtime = ensureRuntime();
	const versions = {
		n8n: runtime.version,
		runtimeNode: runtime.nodeVersion,
		benchNode: process.versions.node,
	};
	const json = {
		generatedAt: new Date().toISOString(),
		machineAtStart,
		machineAtEnd,
		versions,
		load: LOAD,
		profiled: isProfiled,
		targets,
		results: byEngine,
	};
	writeFileSync(join(directory, 'benchmarks.json'), `${JSON.stringify(json, null, '\t')}\n`);
	const text = markdown(json, analysis, failed);
	const style = await prettier.resolveConfig(markdownFile);
	writeFileSync(markdownFile, await prettier.format(text, { ...style, filepath: markdownFile }));
	return { markdownFile, failed };
}
