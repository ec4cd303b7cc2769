// Keep a Changelog bookkeeping for `npm run release`: the Unreleased section becomes the new
// version's, and an empty Unreleased section opens above it. CommonJS so that the unit tests
// (jest, TypeScript) can load it as they are.

const UNRELEASED = '## [Unreleased]';

/**
 * The changelog with `version` released on `date` (YYYY-MM-DD), its compare links updated; throws
 * when there is nothing unreleased to release or the version is already listed.
 */
function releaseChangelog(text, version, date, repositoryUrl) {
	const start = text.indexOf(UNRELEASED);
	if (start === -1) throw new Error(`CHANGELOG.md has no "${UNRELEASED}" section.`);
	if (text.includes(`## [${version}]`)) throw new Error(`CHANGELOG.md already lists ${version}.`);
	const bodyStart = start + UNRELEASED.length;
	const next = text.indexOf('\n## [', bodyStart);
	const links = text.indexOf('\n[Unreleased]:', bodyStart);
	const bodyEnd = next !== -1 ? next : links !== -1 ? links : text.length;
	const body = text.slice(bodyStart, bodyEnd).trim();
	if (body === '')
		throw new Error('The Unreleased section of CHANGELOG.md is empty: nothing to release.');
	const previous = /\n## \[(\d+\.\d+\.\d+[^\]]*)\]/.exec(text.slice(bodyEnd))?.[1];
	const sections = `${UNRELEASED}\n\n## [${version}] - ${date}\n\n${body}\n`;
	const released = text.slice(0, start) + sections + text.slice(bodyEnd);
	const compare = `[Unreleased]: ${repositoryUrl}/compare/${version}...HEAD\n[${version}]: ${
		previous
			? `${repositoryUrl}/compare/${previous}...${version}`
			: `${repositoryUrl}/releases/tag/${version}`
	}`;
	return released.replace(/^\[Unreleased\]: .*$/m, compare);
}

module.exports = { releaseChangelog };
