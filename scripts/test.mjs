// `npm test`: the checks and every suite, in CONTRIBUTING's order, stopping at the first failure.
// The pinned n8n runtime (on a new machine a download of several minutes) installs in the
// background from the start, while the steps that do not need it run; the first that does waits.
import { spawn } from 'node:child_process';

import { PROJECT_ROOT } from './lib/runtime.mjs';

const WITHOUT_N8N = [
	['npm', 'run', 'format:check'],
	['npm', 'run', 'lint'],
	['npm', 'run', 'build', '--silent'],
	['node', 'scripts/scan.mjs'],
	['npm', 'run', 'typecheck'],
	['npm', 'run', 'test:unit'],
	['node', '--test', 'test/senders/'],
];

const WITH_N8N = [
	['node', '--test', '--test-concurrency=1', 'test/e2e/'],
	['node', '--test', 'test/browser/editor.test.mjs', 'test/browser/first-event.test.mjs'],
	['node', '--test', 'test/queue/'],
];

/** Runs a command in the project folder; resolves with its exit code. */
function run([command, ...args], { stdio = 'inherit', detached = false } = {}) {
	const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio, detached });
	const exited = new Promise((resolveExit) => {
		child.on('error', () => resolveExit(1));
		child.on('exit', (code, signal) => resolveExit(signal ? 1 : (code ?? 1)));
	});
	return { child, exited };
}

/** The runtime install, its output held back so that it does not interleave with the checks'. */
function installRuntimeInBackground() {
	// In a process group of its own, so that it can be stopped with the npm it runs.
	const install = run(['node', 'scripts/runtime.mjs'], {
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const output = [];
	install.child.stdout.on('data', (chunk) => output.push(chunk));
	install.child.stderr.on('data', (chunk) => output.push(chunk));
	return {
		stop: () => {
			try {
				process.kill(-install.child.pid, 'SIGTERM');
			} catch {
				// already done
			}
		},
		ready: async () => {
			const code = await install.exited;
			process.stdout.write(Buffer.concat(output));
			return code;
		},
	};
}

async function runAll(steps) {
	for (const step of steps) {
		const code = await run(step).exited;
		if (code !== 0) return code;
	}
	return 0;
}

const runtime = installRuntimeInBackground();
process.on('SIGINT', () => {
	runtime.stop();
	process.exit(130);
});
const checked = await runAll(WITHOUT_N8N);
if (checked !== 0) {
	runtime.stop();
	process.exit(checked);
}
const installed = await runtime.ready();
process.exit(installed === 0 ? await runAll(WITH_N8N) : installed);
