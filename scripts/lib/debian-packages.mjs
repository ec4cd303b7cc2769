// Debian packages the test suites need (a browser, PostgreSQL, Redis, Python's requests): npm and
// Debian's mirror are all a closed network reaches. One installer for every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

const POLICY_RC = '/usr/sbin/policy-rc.d';

function aptGet(args, log) {
	log(`apt-get ${args.join(' ')}`);
	const result = spawnSync('apt-get', args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (result.status !== 0)
		throw new Error(`apt-get ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

function hasInstallCandidate(name) {
	const policy = spawnSync('apt-cache', ['policy', name], { encoding: 'utf8' });
	return policy.status === 0 && /Candidate: (?!\(none\))/.test(policy.stdout);
}

/**
 * Installs Debian packages with apt-get, which needs root. The package lists are refreshed first
 * when a package has no candidate, and once more when an install from present (possibly stale)
 * lists fails. A policy-rc.d answering 101 keeps packages from starting system services of their
 * own (a container image often has one already).
 */
export function installDebianPackages(packages, log = (message) => console.log(`# ${message}`)) {
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${packages.join(' and ')} missing: run as root, or install them first (apt-get install ${packages.join(' ')})`,
		);
	}
	const install = () => aptGet(['install', '-y', '--no-install-recommends', ...packages], log);
	const addedPolicy = !existsSync(POLICY_RC);
	if (addedPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
	try {
		if (!packages.every(hasInstallCandidate)) {
			aptGet(['update'], log);
			install();
		} else {
			try {
				install();
			} catch {
				aptGet(['update'], log);
				install();
			}
		}
	} finally {
		if (addedPolicy) rmSync(POLICY_RC, { force: true });
	}
}
