// `npm run release -- <patch|minor|major|x.y.z>`: prepares a release on a clean, up-to-date main:
// checks, bumps the version, moves the Unreleased changelog under it, commits and tags. Pushing
// the tag (`git push --follow-tags`) makes .github/workflows/publish.yml publish it to npm with
// provenance, as n8n requires of community nodes.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { PROJECT_ROOT } from './lib/runtime.mjs';

const { releaseChangelog } = createRequire(import.meta.url)('./lib/changelog.cjs');

const bump = process.argv[2];
if (!bump) throw new Error('Usage: npm run release -- <patch|minor|major|x.y.z>');

const run = (command, args) =>
	execFileSync(command, args, {
		cwd: PROJECT_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();

if (run('git', ['rev-parse', '--abbrev-ref', 'HEAD']) !== 'main')
	throw new Error('Release from main.');
if (run('git', ['status', '--porcelain', '--untracked-files=no']) !== '')
	throw new Error('Commit or stash your changes first.');

// The checks that need no running n8n; CI runs the end-to-end suites on the pushed commit.
for (const script of ['format:check', 'lint', 'typecheck', 'test:unit', 'build']) {
	execFileSync('npm', ['run', script], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

const version = run('npm', ['version', bump, '--no-git-tag-version']).replace(/^v/, '');
const changelogPath = join(PROJECT_ROOT, 'CHANGELOG.md');
const repositoryUrl = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'))
	.repository.url.replace(/^git\+/, '')
	.replace(/\.git$/, '');
const today = new Date().toISOString().slice(0, 10);
writeFileSync(
	changelogPath,
	releaseChangelog(readFileSync(changelogPath, 'utf8'), version, today, repositoryUrl),
);
run('git', ['add', 'package.json', 'package-lock.json', 'CHANGELOG.md']);
run('git', ['commit', '-m', `Release ${version}`]);
run('git', ['tag', version]);
console.log(`Tagged ${version}. Publish it with: git push --follow-tags`);
