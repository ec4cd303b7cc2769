// Runs the selected n8n with this package loaded the way a community install loads it:
// `<user folder>/.n8n/nodes/node_modules/n8n-nodes-flow-webhooks` (node types `n8n-nodes-flow-webhooks.<name>`).
// Used by `npm run n8n`, `npm run dev`, the end-to-end tests and the benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import {
	copyFileSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { ensureRuntime, PROJECT_ROOT } from './runtime.mjs';

const MANIFEST = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
export const PACKAGE_NAME = MANIFEST.name;

// A port chosen here is bound later (n8n binds it seconds after). The kernel gives every outgoing
// connection a source port from its ephemeral range (32768–60999 by default), so a port picked
// there can meanwhile be taken by a client of a suite running alongside; these are picked at
// random below that range, and checked free.
const PORTS = { from: 20_000, to: 32_000 };

function canListen(port) {
	return new Promise((resolveFree) => {
		const server = createServer();
		server.unref();
		server.once('error', () => resolveFree(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
	});
}

export async function freePort() {
	for (let attempt = 0; attempt < 100; attempt++) {
		const port = PORTS.from + Math.floor(Math.random() * (PORTS.to - PORTS.from));
		if (await canListen(port)) return port;
	}
	throw new Error(`no free port between ${PORTS.from} and ${PORTS.to}`);
}

/**
 * Copies the built package into n8n's community package folder as an install places it: a real
 * folder holding package.json and the published `files`. Not a link: Node resolves a linked
 * package from its real path, so `require('n8n-workflow')` would find this project's
 * devDependency instead of the copy of the n8n that runs it, which hides incompatibilities
 * with other n8n versions (missing exports, `instanceof` across two copies).
 */
export function installPackage(userFolder) {
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	// The folders `files` lists; its exclusions (source maps) only slim the published tarball.
	const entries = MANIFEST.files.filter((entry) => !entry.startsWith('!'));
	for (const entry of ['package.json', ...entries]) {
		cpSync(join(PROJECT_ROOT, entry), join(target, entry), { recursive: true });
	}
}

/** Environment for any n8n process of ours: the runtime's Node first on PATH, quiet, offline-friendly. */
export function n8nEnv({ userFolder, port, brokerPort, extra = {} }) {
	const runtime = ensureRuntime();
	return {
		runtime,
		env: {
			...process.env,
			PATH: runtime.path,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			...(brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(brokerPort) } : {}),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			// 2.x's default, and what n8n 1.x asks for at start: 1.x's default SQLite driver without a
			// pool can apply concurrent saves of a workflow's static data out of order.
			DB_SQLITE_POOL_SIZE: '3',
			...extra,
		},
	};
}

/** Runs one n8n CLI command to completion; throws with its output when it fails. */
export function runCli(args, { env, runtime }) {
	const result = spawnSync(runtime.node, [runtime.n8n, ...args], { env, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result.stdout;
}

/**
 * Imports credentials (a JSON array file, plain `data` is encrypted by n8n) and workflow files
 * (each with a fixed `id`) into n8n's SQLite database, then publishes every workflow not marked
 * `"active": false`. n8n must not be running. Every CLI call boots n8n for several seconds, so
 * the workflows go in with one call, and are published with one update of the database.
 */
export function importAndPublish({ credentialsFile, workflowFiles }, context) {
	if (credentialsFile) runCli(['import:credentials', `--input=${credentialsFile}`], context);
	const workflows = workflowFiles.map((file) => JSON.parse(readFileSync(file, 'utf8')));
	const unnamed = workflowFiles.find((file, index) => !workflows[index].id);
	if (unnamed)
		throw new Error(`${unnamed} has no "id"; workflows imported by the scripts need a fixed id.`);
	const folder = mkdtempSync(join(context.env.N8N_USER_FOLDER, 'import-'));
	workflowFiles.forEach((file, index) => copyFileSync(file, join(folder, `${index}.json`)));
	runCli(['import:workflow', '--separate', `--input=${folder}`], context);
	rmSync(folder, { recursive: true });
	publishAll(
		workflows.filter((workflow) => workflow.active !== false).map((workflow) => workflow.id),
		context,
	);
}

/**
 * Publishes imported workflows. In n8n 2.x, `publish:workflow` sets `active` and points
 * `activeVersionId` at the workflow's current version (whose history entry the import wrote);
 * this does the same for all of them in one statement. n8n 1.x has no versions to point at.
 */
function publishAll(ids, context) {
	if (ids.length === 0) return;
	const { modules } = context.runtime;
	if (!existsSync(join(modules, 'n8n', 'dist', 'commands', 'publish', 'workflow.js'))) {
		for (const id of ids) runCli(['update:workflow', `--id=${id}`, '--active=true'], context);
		return;
	}
	const placeholders = ids.map(() => '?').join(', ');
	const result = spawnSync(
		context.runtime.node,
		[
			join(import.meta.dirname, 'query-db.cjs'),
			join(context.env.N8N_USER_FOLDER, '.n8n', 'database.sqlite'),
			`UPDATE workflow_entity SET active = 1, activeVersionId = versionId WHERE id IN (${placeholders})`,
			JSON.stringify(ids),
			'write',
		],
		{ env: { ...context.env, N8N_MODULES: modules }, encoding: 'utf8' },
	);
	if (result.status !== 0)
		throw new Error(`publishing ${ids.join(', ')} failed:\n${result.stderr}`);
}

async function waitUntilReady(baseUrl, child, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`n8n exited with code ${child.exitCode} while starting`);
		try {
			const response = await fetch(`${baseUrl}/healthz/readiness`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolveWait) => setTimeout(resolveWait, 250));
	}
	throw new Error(`n8n did not become ready within ${timeoutMs / 1000} s`);
}

/**
 * Starts `n8n start` (or `command`, e.g. `worker`, `webhook`) in its own process group; resolves
 * once it answers its readiness check on `port`. `onSpawn` gets the child at once, for cleanup.
 */
export async function startServer({
	env,
	runtime,
	port,
	logFile,
	timeoutMs = 120_000,
	command = 'start',
	onSpawn = () => {},
}) {
	const output = logFile ? openSync(logFile, 'a') : 'inherit';
	const child = spawn(runtime.node, [runtime.n8n, command], {
		env,
		detached: true,
		stdio: ['ignore', output, output],
	});
	onSpawn(child);
	const baseUrl = `http://127.0.0.1:${port}`;
	const stop = () => stopProcessGroup(child);
	try {
		await waitUntilReady(baseUrl, child, timeoutMs);
	} catch (error) {
		await stop();
		throw error;
	}
	return { child, baseUrl, stop };
}

/** `signal` (SIGTERM) to the whole group (n8n and its task runners), SIGKILL if it lingers. */
export function stopProcessGroup(child, graceMs = 15_000, signal = 'SIGTERM') {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolveStop) => {
		const kill = (signal) => {
			try {
				process.kill(-child.pid, signal);
			} catch {
				// already gone
			}
		};
		const timer = setTimeout(() => kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			kill('SIGKILL');
			resolveStop();
		});
		kill(signal);
	});
}
