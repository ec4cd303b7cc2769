// `npm run scan`: n8n's own community-package scanner (@n8n/scan-community-package), the static
// analysis it runs before it lists a package: over the source files it would read from the
// attested commit, and over the files of the packed tarball. Its provenance check needs a version
// published from CI, so it runs only on npm, not here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

import { PROJECT_ROOT, runScript } from './lib/runtime.mjs';

/** Packs the package as `npm publish` would and unpacks it; the folder holding its files. */
function unpackedTarball(folder) {
	const [{ filename }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', folder], {
			cwd: PROJECT_ROOT,
			encoding: 'utf8',
		}),
	);
	execFileSync('tar', ['xzf', join(folder, filename), '-C', folder]);
	return join(folder, 'package');
}

runScript('scan', async () => {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-scan-'));
	try {
		const checks = [
			['source', await analyzePackage(PROJECT_ROOT, SOURCE_FILE_PATTERNS)],
			['tarball', await analyzePackage(unpackedTarball(folder), ['**/*.js', 'package.json'])],
		];
		for (const [what, result] of checks) {
			console.log(`n8n scanner, ${what}: ${result.passed ? 'passed' : result.message}`);
			if (result.details) console.log(result.details);
		}
		if (checks.some(([, result]) => !result.passed)) process.exitCode = 1;
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
});
