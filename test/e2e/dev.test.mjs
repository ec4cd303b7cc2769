// `npm run dev` on a machine the pinned runtime cannot serve: one line saying why, no stack trace,
// nothing installed. The machine is made to look like another with --import, before the script runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const devScript = join(import.meta.dirname, '../../scripts/dev.mjs');

function devOn(platform, arch) {
	const disguise = `data:text/javascript,Object.defineProperty(process,"platform",{value:"${platform}"});Object.defineProperty(process,"arch",{value:"${arch}"})`;
	return spawnSync(process.execPath, ['--import', disguise, devScript], { encoding: 'utf8' });
}

for (const [platform, arch] of [
	['darwin', 'arm64'],
	['win32', 'x64'],
	['linux', 'arm64'],
]) {
	test(`on ${platform} ${arch}, npm run dev stops with one line saying what it needs`, () => {
		const { status, stdout, stderr } = devOn(platform, arch);
		assert.equal(status, 1);
		assert.equal(stdout, '');
		assert.equal(
			stderr.trim(),
			`npm run dev: the pinned n8n runtime needs x64 Linux (its Node.js and native modules are built for it), and this machine is ${platform} ${arch}`,
		);
	});
}
