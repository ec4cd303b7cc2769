// PostgreSQL and Redis for the queue-mode tests: Debian's packages (installed with apt-get when
// missing), each started on a free loopback port with its data in a temporary folder, never the
// system-wide services the packages set up.
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile, spawn, spawnSync } from 'node:child_process';
import {
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	rmSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { installDebianPackages } from './debian-packages.mjs';
import { freePort, stopProcessGroup } from './n8n-instance.mjs';

const POSTGRES_ROOT = '/usr/lib/postgresql';
const REDIS_SERVER = '/usr/bin/redis-server';

function log(message) {
	process.stderr.write(`[services] ${message}\n`);
}

function runOrThrow(command, args, options = {}) {
	const result = spawnSync(command, args, { encoding: 'utf8', ...options });
	if (result.status !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
		);
	}
	return result.stdout;
}

function postgresBinDir() {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const versions = readdirSync(POSTGRES_ROOT)
		.filter((name) => existsSync(join(POSTGRES_ROOT, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

function missingPackages() {
	return [
		...(postgresBinDir() ? [] : ['postgresql']),
		...(existsSync(REDIS_SERVER) ? [] : ['redis-server']),
	];
}

/** Installs Debian's postgresql and redis-server when missing. */
export function ensureServicePackages() {
	const missing = missingPackages();
	if (missing.length === 0) return;
	installDebianPackages(missing, log);
	if (missingPackages().length > 0)
		throw new Error(`apt-get did not install ${missing.join(', ')}`);
}

function spawnService(command, args, logFile) {
	const output = openSync(logFile, 'a');
	return spawn(command, args, { detached: true, stdio: ['ignore', output, output] });
}

async function waitFor(check, what, child, logFile, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what} exited while starting; see ${logFile}`);
		if (await check()) return;
		await sleep(200);
	}
	throw new Error(`${what} did not start within ${timeoutMs / 1000} s; see ${logFile}`);
}

// PostgreSQL refuses to run as root: as root, run its commands as the postgres system user.
function asPostgresUser(command, args) {
	return process.getuid?.() === 0
		? { command: 'runuser', args: ['-u', 'postgres', '--', command, ...args] }
		: { command, args };
}

function stopAndRemove(child, folder, signal) {
	return async () => {
		await stopProcessGroup(child, 15_000, signal);
		if (!process.env.E2E_KEEP) rmSync(folder, { recursive: true, force: true });
	};
}

/**
 * A throw-away PostgreSQL cluster in a temporary folder, on a free loopback port, with trust
 * authentication and durability off (the tests never outlive the database). Creates `database`.
 */
export async function startPostgres(database = 'n8n') {
	const bin = postgresBinDir();
	const folder = mkdtempSync(join(tmpdir(), 'n8n-queue-postgres-'));
	const dataDir = join(folder, 'data');
	mkdirSync(dataDir, { mode: 0o700 });
	if (process.getuid?.() === 0) {
		const owner = Number(runOrThrow('id', ['-u', 'postgres']));
		const group = Number(runOrThrow('id', ['-g', 'postgres']));
		chownSync(folder, owner, group);
		chownSync(dataDir, owner, group);
	}
	const init = asPostgresUser(join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		'postgres',
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	runOrThrow(init.command, init.args);
	const port = await freePort();
	const logFile = join(folder, 'postgres.log');
	const server = asPostgresUser(join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		folder,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	]);
	const child = spawnService(server.command, server.args, logFile);
	const client = (tool) => [
		join(bin, tool),
		['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'],
	];
	await waitFor(
		() => {
			const [command, args] = client('pg_isready');
			return spawnSync(command, args).status === 0;
		},
		'PostgreSQL',
		child,
		logFile,
	);
	const [createdb, createArgs] = client('createdb');
	runOrThrow(createdb, [...createArgs, database]);
	const [psql, psqlArgs] = client('psql');
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		database,
		logFile,
		/** Runs one SQL statement; resolves to psql's unaligned output (one value per line). */
		async query(sql) {
			const args = [
				...psqlArgs,
				'-d',
				database,
				'-X',
				'-A',
				'-t',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			];
			const { stdout } = await promisify(execFile)(psql, args, { maxBuffer: 64 * 1024 * 1024 });
			return stdout;
		},
		// SIGINT is PostgreSQL's fast shutdown: it ends the sessions n8n may still hold.
		stop: stopAndRemove(child, folder, 'SIGINT'),
		child,
		folder,
	};
}

function redisAnswersPing(port) {
	return new Promise((resolvePing) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		socket.setTimeout(1000);
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => {
			resolvePing(data.toString().startsWith('+PONG'));
			socket.destroy();
		});
		socket.on('error', () => resolvePing(false));
		socket.on('timeout', () => {
			resolvePing(false);
			socket.destroy();
		});
	});
}

/** A Redis on a free loopback port that keeps nothing on disk. */
export async function startRedis() {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-queue-redis-'));
	const port = await freePort();
	const logFile = join(folder, 'redis.log');
	const child = spawnService(
		REDIS_SERVER,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			folder,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		logFile,
	);
	await waitFor(() => redisAnswersPing(port), 'Redis', child, logFile);
	return {
		host: '127.0.0.1',
		port,
		logFile,
		stop: stopAndRemove(child, folder, 'SIGTERM'),
		child,
		folder,
	};
}
