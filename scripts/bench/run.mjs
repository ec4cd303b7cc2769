// `npm run bench`: starts the pinned n8n once per expression engine with every scenario workflow,
// measures our nodes against the built-in way of doing the same job in the same run, and writes
// docs/benchmarks.md and docs/benchmarks.json. Exits 1 when a scenario could not run (a missed
// target is not a failure: the report says which targets are met).
// Options: --only=ingest,serving  --engines=legacy (partial runs write their report to a temporary
// folder)  --profile (CPU profile of the n8n server, summed up per measurement). Environment:
// BENCH_SECONDS and BENCH_WARMUP_SECONDS set the length of each load measurement (8 and 2).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { startReceiver } from '../../test/e2e/receiver.mjs';
import { PROJECT_ROOT } from '../lib/runtime.mjs';

import { ENGINES } from './engines.mjs';
import { startBenchInstance } from './instance.mjs';
import { readServerProfile, summarizeWindows } from './profile.mjs';
import { machine, writeReport } from './report.mjs';
import { delivery } from './scenarios/delivery.mjs';
import { ingest } from './scenarios/ingest.mjs';
import { publishRefusal } from './scenarios/publishRefusal.mjs';
import { rejection } from './scenarios/rejection.mjs';
import { serving } from './scenarios/serving.mjs';
import { DELIVERY_DESTINATION } from './workflows.mjs';

const SCENARIOS = { ingest, rejection, serving, delivery, publishRefusal };

const { values: options } = parseArgs({
	options: {
		only: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
		engines: { type: 'string', default: Object.keys(ENGINES).join(',') },
		profile: { type: 'boolean', default: false },
	},
});
const scenarioNames = options.only.split(',');
const engines = options.engines.split(',');
for (const name of [...scenarioNames, ...engines]) {
	if (!(name in SCENARIOS) && !(name in ENGINES))
		throw new Error(`unknown scenario or engine "${name}"`);
}

const log = (message) =>
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Every measurement object inside a scenario's result (those carrying time windows). */
function measurements(value) {
	if (value === null || typeof value !== 'object') return [];
	const own = 'windows' in value ? [value] : [];
	return [...own, ...Object.values(value).flatMap(measurements)];
}

async function runEngine(engine, receiver, profileDirectory) {
	const results = {};
	const nodeOptions = profileDirectory
		? `--cpu-prof --cpu-prof-dir=${profileDirectory}`
		: undefined;
	log(`${engine}: starting n8n with the scenario workflows`);
	const n8n = await startBenchInstance({
		engine,
		receiverUrl: receiver.url(DELIVERY_DESTINATION),
		nodeOptions,
	});
	try {
		for (const name of scenarioNames) {
			log(`${engine}: ${name}`);
			try {
				results[name] = await SCENARIOS[name](n8n, receiver);
				const problems = measurements(results[name]).flatMap(
					(measurement) => measurement.problems ?? [],
				);
				if (problems.length > 0) results[name].error = problems.join('; ');
			} catch (error) {
				results[name] = { error: error.message };
			}
			if (results[name].error)
				log(`${engine}: ${name} did not run properly: ${results[name].error}`);
		}
	} finally {
		await n8n.stop();
	}
	if (profileDirectory) {
		try {
			const profile = readServerProfile(profileDirectory, n8n.pid);
			for (const measurement of Object.values(results).flatMap(measurements))
				measurement.profile = summarizeWindows(profile, measurement.windows);
		} catch (error) {
			log(`${engine}: no CPU profile summary: ${error.message}`);
		}
	}
	return results;
}

const startedMachine = machine();
const receiver = await startReceiver();
const byEngine = {};
try {
	for (const engine of engines) {
		const profileDirectory = options.profile
			? mkdtempSync(join(tmpdir(), `n8n-bench-profile-${engine}-`))
			: undefined;
		try {
			byEngine[engine] = await runEngine(engine, receiver, profileDirectory);
		} catch (error) {
			log(`${engine}: could not run: ${error.message}`);
			byEngine[engine] = Object.fromEntries(
				scenarioNames.map((name) => [name, { error: `n8n did not run: ${error.message}` }]),
			);
		}
		if (profileDirectory) log(`${engine}: CPU profiles in ${profileDirectory}`);
	}
} finally {
	await receiver.close();
}

// Partial runs (--only, --engines) never overwrite the published report.
const fullRun =
	scenarioNames.length === Object.keys(SCENARIOS).length &&
	engines.length === Object.keys(ENGINES).length;
const directory = fullRun
	? join(PROJECT_ROOT, 'docs')
	: mkdtempSync(join(tmpdir(), 'n8n-bench-report-'));
mkdirSync(directory, { recursive: true });
const { markdownFile, failed } = await writeReport({
	machineAtStart: startedMachine,
	byEngine,
	isProfiled: options.profile,
	directory,
});
log(`wrote ${markdownFile}`);
if (failed.length > 0) {
	log(`scenarios that could not run: ${failed.join(', ')}`);
	process.exitCode = 1;
}
