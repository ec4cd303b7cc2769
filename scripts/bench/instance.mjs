// One n8n instance per expression engine, started by the end-to-end harness with every bench
// workflow published, plus what the bench needs on top: the server's process id and execution counts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { providerCredentials, signingCredential } from '../../test/e2e/fixtures.mjs';
import { sleep, startN8n } from '../../test/e2e/harness.mjs';

import { ENGINES } from './engines.mjs';
import { measure } from './load.mjs';
import { presetCredentials } from './presets.mjs';
import { benchWorkflows, builtinHeaderAuthCredential } from './workflows.mjs';

/** The `n8n start` process: the leader of its own process group, with this user folder. */
function serverPid(userFolder) {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const environment = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
			const groupLeader =
				readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1].split(' ')[2] === entry;
			if (groupLeader && environment.includes(`N8N_USER_FOLDER=${userFolder}`))
				return Number(entry);
		} catch {
			// gone, or not ours to read
		}
	}
	throw new Error(`no n8n server process found for ${userFolder}`);
}

/**
 * CPU time the process has used so far, all its threads (SQLite's included), in milliseconds:
 * utime and stime of proc(5), in clock ticks of 10 ms (Linux's USER_HZ).
 */
function cpuMs(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Starts n8n with the engine's settings (see engines.mjs); `nodeOptions` (e.g. `--cpu-prof`) goes
 * to the server's NODE_OPTIONS.
 */
export async function startBenchInstance({ engine, receiverUrl, nodeOptions }) {
	const env = {
		// n8n takes the client address from X-Forwarded-For, so the publish refusal scenario can send
		// each forged publish from its own address; no other scenario sends that header.
		N8N_PROXY_HOPS: '1',
		// The floor trigger the ingest scenario compares with (floor-node/FloorTrigger.node.js).
		N8N_CUSTOM_EXTENSIONS: join(import.meta.dirname, 'floor-node'),
		...ENGINES[engine].env,
		...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
	};
	const n8n = await startN8n({
		workflows: benchWorkflows(receiverUrl),
		credentials: [
			signingCredential,
			...providerCredentials,
			...presetCredentials,
			builtinHeaderAuthCredential,
		],
		env,
	});
	// `await` works whether the harness answers queries synchronously or with a promise.
	const count = async (sql, parameters) => (await n8n.query(sql, parameters))[0].count;

	/** Waits until n8n has finished every execution it started; returns the seconds that took. */
	async function drain(timeoutMs = 180_000) {
		const started = Date.now();
		while (
			(await count(
				"SELECT COUNT(*) AS count FROM execution_entity WHERE status IN ('new', 'running')",
			)) > 0
		) {
			if (Date.now() - started > timeoutMs)
				throw new Error(`executions still running after ${timeoutMs / 1000} s`);
			await sleep(250);
		}
		return (Date.now() - started) / 1000;
	}

	const pid = serverPid(n8n.userFolder);
	return {
		...n8n,
		pid,
		drain,
		/**
		 * Runs `task`, lets n8n finish the executions it caused, and adds to the task's result how many
		 * executions the workflow recorded, how long finishing them took after the task ended, and
		 * the CPU time the n8n server used over both.
		 */
		async counted(workflowId, task) {
			const [{ last }] = await n8n.query(
				'SELECT COALESCE(MAX(id), 0) AS last FROM execution_entity',
			);
			const cpuBefore = cpuMs(pid);
			const result = await task();
			const drainSeconds = await drain();
			const serverCpuMs = cpuMs(pid) - cpuBefore;
			const executions = await count(
				'SELECT COUNT(*) AS count FROM execution_entity WHERE id > ? AND workflowId = ?',
				[last, workflowId],
			);
			return { ...result, executions, drainSeconds, serverCpuMs };
		},
		/**
		 * A row for `measureInTurns`: POSTs to the webhook at `path` from `source()` (called once a
		 * round), counted on `workflowId`.
		 */
		postRow(workflowId, path, { source, expect, headers = {} }) {
			return (seconds) =>
				this.counted(workflowId, () =>
					measure({
						url: n8n.webhookUrl(path),
						method: 'POST',
						headers,
						source: source(),
						expect,
						seconds,
					}),
				);
		},
	};
}
