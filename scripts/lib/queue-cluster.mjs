// n8n in queue mode, as a scaled-out installation runs it: one main process (editor, activation,
// queueing), workers (`n8n worker`, Bull jobs on Redis) and webhook processes (`n8n webhook`), all
// on one PostgreSQL database and one encryption key. Each process has its own user folder with this
// package linked in, as separate containers would.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	freePort,
	importAndPublish,
	linkPackage,
	n8nEnv,
	startServer,
} from './n8n-instance.mjs';
import { ensureServicePackages, startPostgres, startRedis } from './services.mjs';

function log(message) {
	process.stderr.write(`[queue] ${message}\n`);
}

async function timed(label, work) {
	const started = Date.now();
	const result = await work();
	log(`${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

function sharedEnv({ postgres, redis, encryptionKey, webhookUrl, extra }) {
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
		...extra,
	};
}

/**
 * Starts PostgreSQL, Redis and n8n in queue mode with `workflowFiles` imported and published and
 * `credentialsFile` imported. `env` adds environment variables to every n8n process.
 */
export async function startQueueCluster({
	workflowFiles,
	credentialsFile,
	workers = 2,
	webhookProcesses = 2,
	env = {},
}) {
	const root = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	ensureServicePackages();
	const [postgres, redis] = await timed('PostgreSQL and Redis started', () =>
		Promise.all([startPostgres(), startRedis()]),
	);
	const encryptionKey = randomBytes(24).toString('base64url');
	const mainPort = await freePort();
	const webhookPorts = [];
	for (let index = 0; index < webhookProcesses; index++) webhookPorts.push(await freePort());
	const common = sharedEnv({
		postgres,
		redis,
		encryptionKey,
		webhookUrl: `http://127.0.0.1:${webhookPorts[0]}/`,
		extra: env,
	});

	async function processContext(name, port, extra = {}) {
		const userFolder = join(root, name);
		mkdirSync(userFolder, { recursive: true });
		linkPackage(userFolder);
		const brokerPort = await freePort();
		const context = n8nEnv({ userFolder, port, brokerPort, extra: { ...common, ...extra } });
		return { name, port, context, logFile: join(userFolder, 'n8n.log') };
	}

	const main = await processContext('main', mainPort);
	const roles = [];
	for (let index = 1; index <= workers; index++) {
		const healthPort = await freePort();
		roles.push({
			...(await processContext(`worker-${index}`, healthPort, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			})),
			command: 'worker',
		});
	}
	for (const [index, port] of webhookPorts.entries()) {
		roles.push({ ...(await processContext(`webhook-${index + 1}`, port)), command: 'webhook' });
	}

	await timed('workflows imported and published (creates the schema)', async () =>
		importAndPublish({ credentialsFile, workflowFiles }, main.context),
	);

	const running = new Map();
	async function startRole(role, command = 'start') {
		const server = await startServer({
			...role.context,
			port: role.port,
			logFile: role.logFile,
			command,
		});
		running.set(role.name, server);
	}
	async function startAll() {
		// The main process activates the published workflows (registers their webhooks) first.
		await timed('main started', () => startRole(main));
		await timed(`${roles.length} workers and webhook processes started`, () =>
			Promise.all(roles.map((role) => startRole(role, role.command))),
		);
	}
	async function stopAll() {
		const servers = [...running.values()];
		running.clear();
		await Promise.all(servers.map((server) => server.stop()));
	}

	try {
		await startAll();
	} catch (error) {
		await stopAll();
		await Promise.all([postgres.stop(), redis.stop()]);
		throw error;
	}

	return {
		root,
		postgres,
		redis,
		mainUrl: `http://127.0.0.1:${mainPort}`,
		webhookBaseUrls: webhookPorts.map((port) => `http://127.0.0.1:${port}`),
		/** Log file of a process: `main`, `worker-1`, `webhook-2`, ... */
		logOf: (name) => readFileSync(join(root, name, 'n8n.log'), 'utf8'),
		processNames: () => [main.name, ...roles.map((role) => role.name)],
		/** Process groups still running, for a last-resort SIGKILL on exit. */
		pids: () => [
			...[...running.values()].map((server) => server.child.pid),
			postgres.child.pid,
			redis.child.pid,
		],
		/** Stops every n8n process and starts them again; PostgreSQL and Redis keep running. */
		async restart() {
			await timed('n8n processes stopped', stopAll);
			await startAll();
		},
		async stop() {
			await timed('everything stopped', async () => {
				await stopAll();
				await Promise.all([postgres.stop(), redis.stop()]);
			});
			if (!process.env.E2E_KEEP) rmSync(root, { recursive: true, force: true });
		},
	};
}
