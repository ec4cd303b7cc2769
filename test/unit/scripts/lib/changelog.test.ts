// The release script's changelog step; a CommonJS script, loaded as the script loads it.
const { releaseChangelog } = jest.requireActual<{
	releaseChangelog: (text: string, version: string, date: string, repositoryUrl: string) => string;
}>('../../../../scripts/lib/changelog.cjs');

const REPO = 'https://github.com/example/package';

const changelog = `# Changelog

Intro.

## [Unreleased]

### Added

- Something new.

## [0.1.0] - 2026-11-01

### Added

- The first nodes.

[Unreleased]: ${REPO}/compare/0.1.0...HEAD
[0.1.0]: ${REPO}/releases/tag/0.1.0
`;

describe('releaseChangelog', () => {
	it('moves the unreleased changes under the new version and opens an empty Unreleased section', () => {
		expect(releaseChangelog(changelog, '0.2.0', '2026-11-24', REPO)).toBe(`# Changelog

Intro.

## [Unreleased]

## [0.2.0] - 2026-11-24

### Added

- Something new.

## [0.1.0] - 2026-11-01

### Added

- The first nodes.

[Unreleased]: ${REPO}/compare/0.2.0...HEAD
[0.2.0]: ${REPO}/compare/0.1.0...0.2.0
[0.1.0]: ${REPO}/releases/tag/0.1.0
`);
	});

	it('refuses to release nothing, or a version listed already', () => {
		const released = releaseChangelog(changelog, '0.2.0', '2026-11-24', REPO);
		expect(() => releaseChangelog(released, '0.3.0', '2026-11-25', REPO)).toThrow(
			'The Unreleased section of CHANGELOG.md is empty',
		);
		expect(() => releaseChangelog(changelog, '0.1.0', '2026-11-25', REPO)).toThrow(
			'CHANGELOG.md already lists 0.1.0.',
		);
		expect(() => releaseChangelog('# Changelog\n', '0.1.0', '2026-11-25', REPO)).toThrow(
			'has no "## [Unreleased]" section',
		);
	});

	it('links the first release to its tag', () => {
		const first = `## [Unreleased]\n\n- Everything.\n\n[Unreleased]: ${REPO}/commits\n`;
		expect(releaseChangelog(first, '1.0.0', '2026-11-24', REPO)).toContain(
			`[1.0.0]: ${REPO}/releases/tag/1.0.0`,
		);
	});
});
