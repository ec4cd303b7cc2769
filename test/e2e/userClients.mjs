// The user's side of the end-to-end tests: the example clients run as users run them, as child
// processes of the user's own Node.js and Python.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { installDebianPackages } from '../../scripts/lib/debian-packages.mjs';

import { pollUntil } from './harness.mjs';

export const clientsDir = join(import.meta.dirname, '../../examples/clients');

/**
 * Starts examples/clients/receiver.mjs on a free port with `secret`; collects what it prints.
 */
export async function startReceiverClient(secret) {
	const child = spawn(process.execPath, [join(clientsDir, 'receiver.mjs')], {
		env: { ...process.env, WEBHOOK_SECRET: secret, PORT: '0' },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const lines = [];
	let pending = '';
	child.stdout.on('data', (chunk) => {
		const text = pending + chunk;
		const complete = text.split('\n');
		pending = complete.pop();
		lines.push(...complete);
	});
	const waitFor = async (predicate, timeoutMs = 10_000) => {
		const line = await pollUntil(
			() => lines.find(predicate),
			(found) => found !== undefined,
			{ timeoutMs, intervalMs: 20 },
		);
		if (line === undefined) throw new Error(`receiver printed:\n${lines.join('\n')}`);
		return line;
	};
	const listening = await waitFor((line) => line.startsWith('listening on '));
	return {
		url: listening.slice('listening on '.length),
		lines,
		waitFor,
		stop: () => child.kill(),
	};
}

/** The Python interpreter that has `requests`, installing Debian's python3-requests if none does. */
export function pythonWithRequests() {
	const canImport = (python) =>
		spawnSync(python, ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
	if (canImport('python3')) return 'python3';
	if (!canImport('/usr/bin/python3')) {
		// PyPI is out of reach here; Debian packages the library for Debian's own Python.
		installDebianPackages(['python3-requests']);
	}
	return '/usr/bin/python3';
}
