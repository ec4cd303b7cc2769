// End-to-end harness: a real, pinned n8n in a temporary user folder on free ports, with this
// package loaded as a community package. Start it with workflows, talk HTTP, read what it recorded.
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	freePort,
	importAndPublish,
	installPackage,
	n8nEnv,
	startServer,
	stopProcessGroup,
} from '../../scripts/lib/n8n-instance.mjs';
import { ensureRuntime } from '../../scripts/lib/runtime.mjs';
import { triggeredEventId } from './fixtures.mjs';

const run = promisify(execFile);
const running = new Set();
process.on('exit', () => {
	for (const child of running) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

function workflowFiles(workflows, folder) {
	return workflows.map((workflow, index) => {
		if (typeof workflow === 'string') return workflow;
		const file = join(folder, `workflow-${index}.json`);
		writeFileSync(file, JSON.stringify(workflow));
		return file;
	});
}

function publishedWebhookWorkflows(files) {
	return files
		.map((file) => JSON.parse(readFileSync(file, 'utf8')))
		.filter(
			(workflow) => workflow.active !== false && workflow.nodes.some((node) => node.webhookId),
		)
		.map((workflow) => workflow.id);
}

// n8n colours its log lines with ANSI codes.
const COLOR_CODES = /\u001b\[[0-9;]*m/g;
const BROWSER_ID = 'e2e-harness';
const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-harness-passw0rd',
};

/**
 * Starts n8n with the given workflows (file paths or workflow objects, each with a fixed `id`)
 * imported and published, and credentials (`{ id, name, type, data }` with plain data) imported.
 * `env` adds n8n environment variables; `port` fixes the port (default: a free one); `install`
 * puts the package into the user folder (default: a copy of the built files, as an install lays them out).
 */
export async function startN8n({
	workflows = [],
	credentials = [],
	env: extraEnv = {},
	port: wantedPort,
	install = installPackage,
} = {}) {
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
	const port = wantedPort ?? (await freePort());
	const brokerPort = await freePort();
	// n8n reports its database as down (503 to every request) when a health ping waits over 5 s,
	// which a loaded 2-core test machine can cause; that is not what these tests are about. The
	// wait is fixed in 1.x, so the pings are spaced beyond any test's length instead.
	const context = n8nEnv({
		userFolder,
		port,
		brokerPort,
		extra: { DB_PING_INTERVAL_SECONDS: '3600', ...extraEnv },
	});
	const logFile = join(userFolder, 'n8n.log');
	const files = workflowFiles(workflows, userFolder);
	const webhookWorkflows = publishedWebhookWorkflows(files);
	const databaseFile = join(userFolder, '.n8n', 'database.sqlite');
	install(userFolder);
	let credentialsFile;
	if (credentials.length > 0) {
		credentialsFile = join(userFolder, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify(credentials));
	}
	importAndPublish({ credentialsFile, workflowFiles: files }, context);

	// Asynchronous on purpose: a blocking query would also freeze servers the test runs in-process.
	async function query(sql, parameters = []) {
		const { stdout } = await run(
			context.runtime.node,
			[
				join(import.meta.dirname, '../../scripts/lib/query-db.cjs'),
				databaseFile,
				sql,
				JSON.stringify(parameters),
			],
			{
				env: { ...context.env, N8N_MODULES: context.runtime.modules },
				maxBuffer: 256 * 1024 * 1024,
			},
		);
		return JSON.parse(stdout);
	}

	async function waitForWebhooks(timeoutMs = 90_000) {
		const allRegistered = (registered) => webhookWorkflows.every((id) => registered.has(id));
		const registered = await pollUntil(
			async () =>
				new Set(
					(await query('SELECT DISTINCT workflowId FROM webhook_entity')).map(
						(row) => row.workflowId,
					),
				),
			allRegistered,
			{ timeoutMs, intervalMs: 250 },
		);
		if (!allRegistered(registered))
			throw new Error(`webhooks not registered for ${webhookWorkflows.join(', ')}`);
	}

	let cookie;
	async function ownerCookie() {
		if (cookie) return cookie;
		const response = await fetch(`${server.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify(OWNER),
		});
		if (!response.ok)
			throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
		cookie = response.headers
			.getSetCookie()
			.map((value) => value.split(';')[0])
			.join('; ');
		return cookie;
	}

	// n8n 1.x answers its readiness check before its routes exist and its published workflows are
	// active; both versions print this line once they are.
	const STARTED_LINE = 'Editor is now accessible via';
	async function waitForStartLine(starts, timeoutMs = 90_000) {
		const printed = await pollUntil(
			() => readFileSync(logFile, 'utf8').split(STARTED_LINE).length - 1,
			(count) => count >= starts,
			{ timeoutMs, intervalMs: 250 },
		);
		if (printed < starts) throw new Error(`n8n did not print "${STARTED_LINE}"`);
	}

	let server;
	let starts = 0;
	const withLog = (error) =>
		new Error(`${error.message}\n--- n8n log ---\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
	async function start() {
		try {
			server = await startServer({ ...context, port, logFile });
		} catch (error) {
			throw withLog(error);
		}
		running.add(server.child);
		starts += 1;
		try {
			await waitForStartLine(starts);
			await waitForWebhooks();
		} catch (error) {
			running.delete(server.child);
			await server.stop();
			throw withLog(error);
		}
	}
	await start();

	const instance = {
		baseUrl: server.baseUrl,
		userFolder,
		webhookUrl: (path) => `${server.baseUrl}/webhook/${path}`,
		testWebhookUrl: (path) => `${server.baseUrl}/webhook-test/${path}`,
		query,
		/** A workflow's static data as n8n stored it (`{}` when it has none). */
		async staticData(workflowId) {
			const [row] = await query('SELECT staticData FROM workflow_entity WHERE id = ?', [
				workflowId,
			]);
			const stored = row?.staticData;
			return typeof stored === 'string' ? JSON.parse(stored) : (stored ?? {});
		},
		/** Executions of a workflow (all statuses), oldest first. */
		async executions(workflowId) {
			return query(
				'SELECT id, status, mode, finished FROM execution_entity WHERE workflowId = ? ORDER BY id',
				[workflowId],
			);
		},
		/** Items each node output in an execution: `{ [node name]: [[json of output 0], [output 1], ...] }`. */
		async executionOutput(executionId) {
			const [row] = await query('SELECT data FROM execution_data WHERE executionId = ?', [
				executionId,
			]);
			const runData = row?.data?.resultData?.runData ?? {};
			return Object.fromEntries(
				Object.entries(runData).map(([node, runs]) => [
					node,
					(runs[0]?.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json)),
				]),
			);
		},
		/** Waits until a workflow has at least `count` finished executions (any status) and returns them. */
		async waitForExecutions(workflowId, count, timeoutMs = 30_000) {
			return await pollUntil(
				async () =>
					(await instance.executions(workflowId)).filter(
						(execution) => execution.status !== 'running' && execution.status !== 'new',
					),
				(done) => done.length >= count,
				{ timeoutMs },
			);
		},
		/**
		 * POSTs `body` as JSON to the production webhook `path` of `workflowId` and returns the
		 * execution it started (`{ id, status, mode, finished }`), once n8n has stored it.
		 */
		async startByWebhook(workflowId, path, body = {}) {
			const before = (await instance.executions(workflowId)).length;
			const response = await fetch(instance.webhookUrl(path), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			await response.arrayBuffer();
			const executions = await pollUntil(
				() => instance.executions(workflowId),
				(all) => all.length > before,
				{ timeoutMs: 30_000, intervalMs: 100 },
			);
			if (executions.length <= before) throw new Error(`no execution of ${workflowId} started`);
			return executions.at(-1);
		},
		/** Waits until execution `executionId` has status `wanted` (as n8n's database says); throws if not within `timeoutMs`. */
		async waitForStatus(executionId, wanted, timeoutMs = 30_000) {
			const row = await pollUntil(
				async () =>
					(await query('SELECT status FROM execution_entity WHERE id = ?', [executionId]))[0],
				(found) => found?.status === wanted,
				{ timeoutMs, intervalMs: 250 },
			);
			if (row?.status !== wanted)
				throw new Error(`execution ${executionId} is ${row?.status}, not ${wanted}`);
		},
		/**
		 * Waits until an execution of the workflow whose trigger (`triggerName`) emitted the event
		 * `eventId` has finished, and returns it (`{ id, status, mode }`); undefined if none has within
		 * `timeoutMs`. What proves a request was accepted and ran: n8n answers 202 by itself too.
		 */
		async executionHolding(workflowId, eventId, { triggerName, timeoutMs = 30_000 } = {}) {
			const finished = async () =>
				(
					await query(
						`SELECT e.id, e.status, e.mode, d.data FROM execution_entity e
						 JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id`,
						[workflowId],
					)
				).find(
					(row) =>
						!['new', 'running'].includes(row.status) &&
						triggeredEventId(row.data, triggerName) === eventId,
				);
			const row = await pollUntil(finished, Boolean, { timeoutMs });
			return row && { id: row.id, status: row.status, mode: row.mode };
		},
		/** Calls n8n's editor REST API as the instance owner (created on first use); returns `data`. */
		async rest(method, path, body) {
			const response = await fetch(`${server.baseUrl}/rest${path}`, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': BROWSER_ID,
					cookie: await ownerCookie(),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			if (!response.ok)
				throw new Error(`${method} /rest${path}: ${response.status} ${await response.text()}`);
			return (await response.json()).data;
		},
		/**
		 * Does what the editor's "Listen for test event" does for a trigger: afterwards its test URL
		 * (`testWebhookUrl`) accepts one request and runs the workflow in manual mode. n8n 1.x runs
		 * the workflow sent along, as its editor does; 2.x runs the stored one and ignores it.
		 */
		async listenForTestEvent(workflowId, triggerName) {
			const answer = await instance.rest('POST', `/workflows/${workflowId}/run`, {
				workflowData: await instance.rest('GET', `/workflows/${workflowId}`),
				triggerToStartFrom: { name: triggerName },
			});
			if (!answer?.waitingForWebhook)
				throw new Error(`n8n is not listening: ${JSON.stringify(answer)}`);
		},
		log: () => readFileSync(logFile, 'utf8'),
		/** The log's lines without colour codes. */
		logLines: () => readFileSync(logFile, 'utf8').replace(COLOR_CODES, '').split('\n'),
		/** The lines our nodes logged for refused requests, one per request. */
		refusalLines: () =>
			instance.logLines().filter((line) => line.includes('Webhook request refused:')),
		/** Kills n8n and its task runners at once, as a crash or an OOM kill does; `restart()` brings it back. */
		async kill() {
			await stopProcessGroup(server.child, 0, 'SIGKILL');
		},
		async restart() {
			running.delete(server.child);
			await server.stop();
			await start();
		},
		async stop() {
			running.delete(server.child);
			await server.stop();
			if (!process.env.E2E_KEEP) rmSync(userFolder, { recursive: true, force: true });
		},
	};
	return instance;
}

/** The major version of the n8n under test (`N8N_VERSION`), for behaviour that differs by version. */
/**
 * Reads `read()` until `isDone` holds for what it returned or `timeoutMs` has passed, and returns
 * the last reading either way, for the caller to assert on: how every suite waits for a condition.
 */
export async function pollUntil(read, isDone, { timeoutMs = 10_000, intervalMs = 200 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (isDone(value) || Date.now() > deadline) return value;
		await sleep(intervalMs);
	}
}

export const n8nMajor = Number(ensureRuntime().version.split('.')[0]);

export { freePort, sleep };
