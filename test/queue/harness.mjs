// Queue-mode harness: the cluster of scripts/lib/queue-cluster.mjs with the package's workflows,
// plus what the tests read back: executions and static data straight from PostgreSQL, and which
// worker ran an execution (from the workers' logs).
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { killQueueCluster, startQueueCluster } from '../../scripts/lib/queue-cluster.mjs';
import { triggeredEventId } from '../e2e/fixtures.mjs';
import { pollUntil } from '../e2e/harness.mjs';
import { ensureRuntime } from '../../scripts/lib/runtime.mjs';

// Execution data is stored in n8n's flatted format; n8n's own copy of the module decodes it.
const flatted = createRequire(join(ensureRuntime().modules, 'n8n', 'package.json'))('flatted');

let cluster;
let importFolder;
process.on('exit', () => {
	killQueueCluster();
	if (importFolder) rmSync(importFolder, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		const stopping = cluster ? cluster.stop() : Promise.resolve(killQueueCluster());
		stopping.finally(() => process.exit(130));
	});
}

/**
 * Starts the cluster with `workflows` (objects with a fixed `id`, published unless
 * `"active": false`) and `credentials` (plain data).
 * Returns helpers over it; call `stop()` at the end.
 */
export async function startQueueN8n({ workflows, credentials = [] }) {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-queue-import-'));
	importFolder = folder;
	const workflowFolder = join(folder, 'workflows');
	mkdirSync(workflowFolder);
	for (const [index, workflow] of workflows.entries()) {
		const file = join(workflowFolder, `workflow-${index}.json`);
		writeFileSync(file, JSON.stringify(workflow));
	}
	const credentialsFile = join(folder, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(credentials));
	try {
		cluster = await startQueueCluster({ workflowFolder, credentialsFile });
	} finally {
		rmSync(folder, { recursive: true, force: true });
		importFolder = undefined;
	}

	/** Rows of a query, through PostgreSQL's own JSON so no client module is needed. */
	async function rows(sql) {
		const text = await cluster.postgres.query(`SELECT coalesce(json_agg(q), '[]') FROM (${sql}) q`);
		return JSON.parse(text);
	}
	const quote = (value) => `'${String(value).replaceAll("'", "''")}'`;

	const n8n = {
		/** Production URL of `path` on webhook process `index` (0-based). */
		webhookUrl: (path, index = 0) => `${cluster.webhookBaseUrls[index]}/webhook/${path}`,
		async executions(workflowId) {
			return rows(
				`SELECT id, status, mode FROM execution_entity WHERE "workflowId" = ${quote(workflowId)} ORDER BY id`,
			);
		},
		async waitForExecutions(workflowId, count, timeoutMs = 60_000) {
			return await pollUntil(
				async () =>
					(await n8n.executions(workflowId)).filter(
						(execution) => !['new', 'running'].includes(execution.status),
					),
				(done) => done.length >= count,
				{ timeoutMs, intervalMs: 250 },
			);
		},
		/**
		 * Waits until no execution of the workflow is queued or running, twice in a row, but those
		 * `leaveOut` names; throws naming the open ones when that does not happen within `timeoutMs`.
		 */
		async settle(workflowId, timeoutMs = 60_000, leaveOut = () => false) {
			let calm = 0;
			const open = await pollUntil(
				async () => {
					const found = (await n8n.executions(workflowId)).filter(
						(execution) => ['new', 'running'].includes(execution.status) && !leaveOut(execution),
					);
					calm = found.length === 0 ? calm + 1 : 0;
					return found;
				},
				() => calm >= 2,
				{ timeoutMs, intervalMs: 500 },
			);
			if (calm < 2)
				throw new Error(
					`${workflowId} did not settle within ${timeoutMs} ms: ${open.map((execution) => `${execution.id} ${execution.status}`).join(', ')}`,
				);
		},
		/** Execution hints a node added in an execution: `[{ type, message }, ...]`. */
		async executionHints(executionId, nodeName) {
			const [row] = await rows(
				`SELECT data FROM execution_data WHERE "executionId" = ${quote(executionId)}`,
			);
			return flatted.parse(row.data).resultData?.runData?.[nodeName]?.[0]?.hints ?? [];
		},
		/** The workflow's static data as stored: `{ "node:<name>": {...}, global: {...} }`. */
		async staticData(workflowId) {
			const [row] = await rows(
				`SELECT "staticData" AS data FROM workflow_entity WHERE id = ${quote(workflowId)}`,
			);
			return row?.data ?? {};
		},
		/** Names of the processes whose log says they ran the execution (`worker-1`, ...). */
		processesThatRan(executionId) {
			const line = new RegExp(`Worker started execution ${executionId} `);
			return cluster.processNames().filter((name) => line.test(cluster.logOf(name)));
		},
		/** The executions of a workflow with the id of the event each holds (its trigger's item). */
		async executionsWithEvent(workflowId, triggerName) {
			const found = await rows(
				`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = ${quote(workflowId)}`,
			);
			return found.map(({ id, status, data }) => ({
				id,
				status,
				eventId: triggeredEventId(flatted.parse(data), triggerName),
			}));
		},
		kill: (name) => cluster.kill(name),
		startProcess: (name) => cluster.startProcess(name),
		restart: () => cluster.restart(),
		stop: () => cluster.stop(),
	};
	return n8n;
}

export { pollUntil, sleep };
