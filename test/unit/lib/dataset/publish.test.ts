import {
	APPEND_HARD_CAP,
	asPublishedDataset,
	emptyDataset,
	formatSize,
	MAX_DATASET_BYTES,
	MAX_NESTING_DEPTH,
	nestsDeeperThan,
	publishDataset,
	publishSettingsProblem,
	type PublishedDataset,
	type PublishOutcome,
	type PublishSettings,
} from '../../../../lib/dataset/publish';

const MB = 1024 * 1024;
const NOW = new Date('2026-11-23T10:00:00.000Z');
const LATER = new Date('2026-11-23T11:00:00.000Z');

const replace: PublishSettings = { mode: 'replace', keepNewest: 0, maxBytes: 5 * MB };
const append = (keepNewest: number): PublishSettings => ({
	mode: 'append',
	keepNewest,
	maxBytes: 5 * MB,
});
const single: PublishSettings = { mode: 'singleObject', keepNewest: 0, maxBytes: 5 * MB };

function stored(outcome: PublishOutcome): PublishedDataset {
	if (!('dataset' in outcome)) throw new Error('expected a dataset');
	return outcome.dataset;
}

function dataOf(dataset: PublishedDataset): unknown {
	return JSON.parse(dataset.json);
}

describe('publishDataset: Replace', () => {
	it('publishes exactly the items of the run as version 1', () => {
		const outcome = publishDataset(undefined, [{ id: 1 }, { id: 2 }], replace, NOW);
		expect(outcome).toEqual({
			kind: 'published',
			bytes: Buffer.byteLength('[{"id":1},{"id":2}]'),
			dataset: {
				shape: 'list',
				json: '[{"id":1},{"id":2}]',
				total: 2,
				version: 1,
				lastUpdated: '2026-11-23T10:00:00.000Z',
				digest: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
			},
		});
	});

	it('replaces what was published and counts the version up', () => {
		const first = stored(publishDataset(undefined, [{ id: 1 }], replace, NOW));
		const second = stored(publishDataset(first, [{ id: 9 }], replace, LATER));
		expect(dataOf(second)).toEqual([{ id: 9 }]);
		expect(second.version).toBe(2);
		expect(second.lastUpdated).toBe(LATER.toISOString());
		expect(second.digest).not.toBe(first.digest);
	});

	it('keeps version and time when the data is identical, so cached copies stay valid', () => {
		const first = stored(publishDataset(undefined, [{ id: 1 }], replace, NOW));
		const again = publishDataset(first, [{ id: 1 }], replace, LATER);
		expect(again.kind).toBe('unchanged');
		expect(stored(again)).toBe(first);
	});

	it('publishes an empty list when no items arrive', () => {
		const outcome = publishDataset(undefined, [], replace, NOW);
		expect(stored(outcome)).toMatchObject({ shape: 'list', json: '[]', total: 0, version: 1 });
	});

	it('gives equal data the same digest and different data a different one', () => {
		const a = stored(publishDataset(undefined, [{ id: 1 }], replace, NOW));
		const b = stored(publishDataset(undefined, [{ id: 1 }], replace, LATER));
		const c = stored(publishDataset(undefined, [{ id: 2 }], replace, NOW));
		expect(a.digest).toBe(b.digest);
		expect(a.digest).not.toBe(c.digest);
	});
});

describe('publishDataset: Append', () => {
	it('adds the run after what was published, oldest first', () => {
		const first = stored(publishDataset(undefined, [{ n: 1 }, { n: 2 }], append(10), NOW));
		const second = stored(publishDataset(first, [{ n: 3 }], append(10), LATER));
		expect(dataOf(second)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
		expect(second.total).toBe(3);
		expect(second.version).toBe(2);
	});

	it('keeps only the newest items', () => {
		const first = stored(publishDataset(undefined, [{ n: 1 }, { n: 2 }], append(3), NOW));
		const second = stored(publishDataset(first, [{ n: 3 }, { n: 4 }], append(3), LATER));
		expect(dataOf(second)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
		expect(second.total).toBe(3);
	});

	it('keeps the newest of a single run that alone exceeds the limit', () => {
		const outcome = publishDataset(undefined, [{ n: 1 }, { n: 2 }, { n: 3 }], append(2), NOW);
		expect(dataOf(stored(outcome))).toEqual([{ n: 2 }, { n: 3 }]);
	});

	it('starts a new list when a single object was published before', () => {
		const object = stored(publishDataset(undefined, [{ a: 1 }], single, NOW));
		const list = stored(publishDataset(object, [{ n: 1 }], append(5), LATER));
		expect(dataOf(list)).toEqual([{ n: 1 }]);
		expect(list.version).toBe(2);
	});
});

describe('publishDataset: Single Object', () => {
	it("publishes the first item's fields as an object", () => {
		const dataset = stored(publishDataset(undefined, [{ temp: 21 }, { temp: 99 }], single, NOW));
		expect(dataset).toMatchObject({ shape: 'object', json: '{"temp":21}', total: 1, version: 1 });
	});

	it('publishes an empty object when no items arrive', () => {
		const dataset = stored(publishDataset(undefined, [], single, NOW));
		expect(dataset).toMatchObject({ shape: 'object', json: '{}', total: 0 });
	});

	it('replaces a published list', () => {
		const list = stored(publishDataset(undefined, [{ n: 1 }], replace, NOW));
		const object = stored(publishDataset(list, [{ n: 1 }], single, LATER));
		expect(object).toMatchObject({ shape: 'object', json: '{"n":1}', version: 2 });
	});
});

describe('publishDataset: size limit', () => {
	// `[{"s":"…"}]` is 10 bytes of JSON around the string.
	const itemOfBytes = (bytes: number) => [{ s: 'x'.repeat(bytes - 10) }];

	it('accepts data of exactly the limit', () => {
		const outcome = publishDataset(
			undefined,
			itemOfBytes(1000),
			{ ...replace, maxBytes: 1000 },
			NOW,
		);
		expect(outcome).toMatchObject({ kind: 'published', bytes: 1000 });
	});

	it('refuses data one byte over the limit, whole', () => {
		const outcome = publishDataset(
			undefined,
			itemOfBytes(1001),
			{ ...replace, maxBytes: 1000 },
			NOW,
		);
		expect(outcome).toEqual({ kind: 'tooLarge', bytes: 1001, maxBytes: 1000 });
	});

	it('counts UTF-8 bytes, not characters', () => {
		const outcome = publishDataset(
			undefined,
			[{ s: 'é'.repeat(10) }],
			{ ...replace, maxBytes: 20 },
			NOW,
		);
		expect(outcome).toEqual({ kind: 'tooLarge', bytes: 30, maxBytes: 20 });
	});

	it('measures what Append would keep, not only the new items', () => {
		const first = stored(
			publishDataset(undefined, itemOfBytes(600), { ...append(10), maxBytes: 1000 }, NOW),
		);
		const outcome = publishDataset(
			first,
			itemOfBytes(600),
			{ ...append(10), maxBytes: 1000 },
			LATER,
		);
		expect(outcome.kind).toBe('tooLarge');
	});
});

/** JSON text of arrays nested `depth` levels deep, parsed: built as objects, it would overflow. */
const nestedArrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('publishDataset: nesting limit', () => {
	it('publishes data nested exactly as deep as the limit, the list counting as the first level', () => {
		const item = { deep: nestedArrays(MAX_NESTING_DEPTH - 2) };
		expect(publishDataset(undefined, [item], replace, NOW).kind).toBe('published');
		expect(
			publishDataset(undefined, [{ deep: nestedArrays(MAX_NESTING_DEPTH - 1) }], replace, NOW),
		).toEqual({
			kind: 'tooDeep',
			maxDepth: MAX_NESTING_DEPTH,
		});
	});

	it('refuses data far deeper than serialising could take, instead of overflowing the stack', () => {
		const outcome = publishDataset(undefined, [{ deep: nestedArrays(200_000) }], append(5), NOW);
		expect(outcome).toEqual({ kind: 'tooDeep', maxDepth: MAX_NESTING_DEPTH });
	});

	it('looks only at what would be published: Single Object keeps the first item', () => {
		const outcome = publishDataset(
			undefined,
			[{ a: 1 }, { deep: nestedArrays(5000) }],
			single,
			NOW,
		);
		expect(outcome.kind).toBe('published');
	});
});

describe('nestsDeeperThan', () => {
	it.each([
		[null, 0, false],
		['text', 0, false],
		[{}, 1, false],
		[{}, 0, true],
		[[[], { a: [1] }], 3, false],
		[[[], { a: [1] }], 2, true],
	])('%j nests deeper than %i: %s', (value, maxDepth, expected) => {
		expect(nestsDeeperThan(value, maxDepth)).toBe(expected);
	});
});

describe('publishSettingsProblem', () => {
	it('accepts the defaults', () => {
		expect(publishSettingsProblem(replace)).toBeUndefined();
		expect(publishSettingsProblem(append(100))).toBeUndefined();
		expect(publishSettingsProblem(append(APPEND_HARD_CAP))).toBeUndefined();
		expect(publishSettingsProblem({ ...replace, maxBytes: MAX_DATASET_BYTES })).toBeUndefined();
	});

	it.each([0, -1, 1.5, Number.NaN, APPEND_HARD_CAP + 1])(
		'refuses Keep Newest Items of %p in Append mode',
		(keepNewest) => {
			expect(publishSettingsProblem(append(keepNewest))).toMatch(
				/^Keep Newest Items must be a whole number from 1 to 10000/,
			);
		},
	);

	it('ignores Keep Newest Items in the other modes', () => {
		expect(publishSettingsProblem({ ...replace, keepNewest: -5 })).toBeUndefined();
	});

	it.each([0, -1, Number.NaN, MAX_DATASET_BYTES + 1])(
		'refuses a size limit of %p bytes',
		(maxBytes) => {
			expect(publishSettingsProblem({ ...replace, maxBytes })).toMatch(
				/^Max Dataset Size must be above 0 and at most 16.0 MB/,
			);
		},
	);
});

describe('emptyDataset and asPublishedDataset', () => {
	it('describes the data before the first publish', () => {
		expect(emptyDataset('list')).toEqual({
			shape: 'list',
			json: '[]',
			total: 0,
			version: 0,
			lastUpdated: null,
			digest: 'empty-list',
		});
		expect(emptyDataset('object')).toMatchObject({ json: '{}', digest: 'empty-object' });
	});

	it('recognises what publishDataset stored and nothing else', () => {
		const dataset = stored(publishDataset(undefined, [{ id: 1 }], replace, NOW));
		expect(asPublishedDataset(dataset)).toBe(dataset);
		expect(asPublishedDataset(undefined)).toBeUndefined();
		expect(asPublishedDataset({})).toBeUndefined();
		expect(asPublishedDataset({ json: [], digest: 'x' })).toBeUndefined();
		expect(asPublishedDataset('[]')).toBeUndefined();
	});
});

describe('formatSize', () => {
	it.each([
		[0, '0 bytes'],
		[1023, '1023 bytes'],
		[1024, '1.0 KB'],
		[3277, '3.2 KB'],
		[5 * MB, '5.0 MB'],
	])('%p → %p', (bytes, text) => {
		expect(formatSize(bytes)).toBe(text);
	});
});
