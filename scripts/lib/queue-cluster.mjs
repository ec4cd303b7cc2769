// n8n in queue mode, as a scaled-out installation runs it: one main process (editor, activation,
// queueing), workers (`n8n worker`, Bull jobs on Redis) and webhook processes (`n8n webhook`), all
// on one PostgreSQL database and one encryption key. Each process has its own user folder with this
// package linked in, as separate containers would.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
	freePort,
	installPackage,
	n8nEnv,
	runCli,
	startServer,
	stopProcessGroup,
} from './n8n-instance.mjs';
import { ensureServicePackages, startPostgres, startRedis } from './services.mjs';

function log(message) {
	process.stderr.write(`[queue] ${message}\n`);
}

async function timed(label, work) {
	const since = Date.now();
	const result = await work();
	log(`${label} in ${((Date.now() - since) / 1000).toFixed(1)} s`);
	return result;
}

function sharedEnv({ postgres, redis, encryptionKey, webhookUrl }) {
	return {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_DATABASE: postgres.database,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Production webhooks go to the webhook processes only, as in a scaled-out installation.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		WEBHOOK_URL: webhookUrl,
		// A loaded 2-core machine can exceed n8n's 5 s database ping and report the database down.
		DB_PING_TIMEOUT_MS: '60000',
	};
}

const execFileAsync = promisify(execFile);

/**
 * Imports credentials (a JSON array, plain `data`) and every workflow file in `workflowFolder`
 * with one CLI call each, then publishes those not marked `"active": false`, in parallel: every
 * CLI call boots n8n for about ten seconds.
 */
async function importAll({ credentialsFile, workflowFolder }, context) {
	if (credentialsFile) runCli(['import:credentials', `--input=${credentialsFile}`], context);
	runCli(['import:workflow', '--separate', `--input=${workflowFolder}`], context);
	const published = readdirSync(workflowFolder)
		.map((file) => JSON.parse(readFileSync(join(workflowFolder, file), 'utf8')))
		.filter((workflow) => workflow.active !== false);
	await Promise.all(
		published.map((workflow) =>
			execFileAsync(
				context.runtime.node,
				[context.runtime.n8n, 'publish:workflow', `--id=${workflow.id}`],
				{
					env: context.env,
				},
			),
		),
	);
}

// Process groups and temporary folders this module started or made and has not cleaned up yet.
const started = new Set();
const folders = new Set();

/** SIGKILL to every process group still running, then removes the folders; fit for an exit handler. */
export function killQueueCluster() {
	for (const child of started) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	started.clear();
	if (!process.env.E2E_KEEP) {
		for (const folder of folders) rmSync(folder, { recursive: true, force: true });
	}
	folders.clear();
}

function tracked(service) {
	started.add(service.child);
	folders.add(service.folder);
	const stop = service.stop;
	return {
		...service,
		stop: async () => {
			await stop();
			started.delete(service.child);
			folders.delete(service.folder);
		},
	};
}

async function startServices() {
	ensureServicePackages();
	const [postgres, redis] = await Promise.allSettled([startPostgres(), startRedis()]);
	const up = [postgres, redis].filter((result) => result.status === 'fulfilled');
	const failed = [postgres, redis].find((result) => result.status === 'rejected');
	if (failed) {
		await Promise.all(up.map((result) => result.value.stop()));
		throw failed.reason;
	}
	return { postgres: tracked(postgres.value), redis: tracked(redis.value) };
}

/**
 * Starts PostgreSQL, Redis and n8n in queue mode with the workflows of `workflowFolder` imported
 * (see importAll) and `credentialsFile` imported. On failure everything started so far is stopped
 * again.
 */
export async function startQueueCluster({ workflowFolder, credentialsFile }) {
	const { postgres, redis } = await timed('PostgreSQL and Redis started', startServices);
	const root = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	folders.add(root);
	const processes = new N8nProcesses({ root, postgres, redis });
	const stop = async () => {
		await processes.stopAll();
		await Promise.all([postgres.stop(), redis.stop()]);
		if (!process.env.E2E_KEEP) rmSync(root, { recursive: true, force: true });
		folders.delete(root);
	};
	try {
		await processes.prepare();
		await timed('workflows imported and published (creates the schema)', () =>
			importAll({ credentialsFile, workflowFolder }, processes.main.context),
		);
		await processes.startAll();
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		postgres,
		webhookBaseUrls: processes.webhookPorts.map((port) => `http://127.0.0.1:${port}`),
		/** Log of a process: `main`, `worker-1`, `webhook-2`, ... */
		logOf: (name) => readFileSync(join(root, name, 'n8n.log'), 'utf8'),
		processNames: () => processes.names(),
		/** Stops every n8n process and starts them again; PostgreSQL and Redis keep running. */
		async restart() {
			await timed('n8n processes stopped', () => processes.stopAll());
			await processes.startAll();
		},
		/** Kills one process (`webhook-2`, ...) at once, as a crash or an OOM kill does. */
		kill: (name) => processes.kill(name),
		/** Starts a process that was killed again. */
		startProcess: (name) => processes.startNamed(name),
		stop: () => timed('everything stopped', stop),
	};
}

/** One main, WORKERS workers and WEBHOOK_PROCESSES webhook processes, each in its own user folder. */
const WORKERS = 2;
const WEBHOOK_PROCESSES = 2;

class N8nProcesses {
	constructor({ root, postgres, redis }) {
		this.root = root;
		this.services = { postgres, redis };
		this.running = new Map();
		this.roles = [];
		this.webhookPorts = [];
	}

	async prepare() {
		for (let index = 0; index < WEBHOOK_PROCESSES; index++)
			this.webhookPorts.push(await freePort());
		this.common = sharedEnv({
			...this.services,
			encryptionKey: randomBytes(24).toString('base64url'),
			webhookUrl: `http://127.0.0.1:${this.webhookPorts[0]}/`,
		});
		this.main = await this.role('main', 'start', await freePort());
		for (let index = 1; index <= WORKERS; index++) {
			const healthPort = await freePort();
			this.roles.push(
				await this.role(`worker-${index}`, 'worker', healthPort, {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				}),
			);
		}
		for (const [index, port] of this.webhookPorts.entries()) {
			this.roles.push(await this.role(`webhook-${index + 1}`, 'webhook', port));
		}
	}

	async role(name, command, port, extra = {}) {
		const userFolder = join(this.root, name);
		mkdirSync(userFolder, { recursive: true });
		installPackage(userFolder);
		const brokerPort = await freePort();
		const context = n8nEnv({ userFolder, port, brokerPort, extra: { ...this.common, ...extra } });
		return { name, command, port, context, logFile: join(userFolder, 'n8n.log') };
	}

	names() {
		return [this.main, ...this.roles].map((role) => role.name);
	}

	async start(role) {
		const server = await startServer({
			...role.context,
			port: role.port,
			logFile: role.logFile,
			command: role.command,
			onSpawn: (child) => started.add(child),
		});
		this.running.set(role.name, server);
	}

	async startAll() {
		// The main process activates the published workflows (registers their webhooks) first.
		await timed('main started', () => this.start(this.main));
		await timed(`${this.roles.length} workers and webhook processes started`, () =>
			Promise.all(this.roles.map((role) => this.start(role))),
		);
	}

	async kill(name) {
		const server = this.running.get(name);
		this.running.delete(name);
		await stopProcessGroup(server.child, 0, 'SIGKILL');
		started.delete(server.child);
	}

	async startNamed(name) {
		await this.start([this.main, ...this.roles].find((role) => role.name === name));
	}

	async stopAll() {
		const servers = [...this.running.values()];
		this.running.clear();
		await Promise.all(
			servers.map(async (server) => {
				await server.stop();
				started.delete(server.child);
			}),
		);
	}
}
