import type { SeenIds } from '../../../../lib/store/dedup';
import { eventKey, fromStored, packKeys } from '../../../../lib/store/eventKeys';

describe('the keys of event ids, and the forms they are stored in', () => {
	it('keys an id by 12 characters of its SHA-256, the same key for the same id only', () => {
		const ids = ['msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', 'a\nnewline', '', 'x'.repeat(10_000), '42'];
		const keys = ids.map(eventKey);
		for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{12}$/);
		expect(new Set(keys).size).toBe(ids.length);
		expect(eventKey('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W')).toBe(keys[0]);
		// SHA-256("abc") starts ba 78 16 bf 8f 01 cf ea 41.
		expect(eventKey('abc')).toBe(Buffer.from('ba7816bf8f01cfea41', 'hex').toString('base64url'));
	});

	it('packs keys into one string, a group per minute oldest first, and reads them back no earlier than accepted', () => {
		const [a, b, c] = ['a', 'b', 'c'].map(eventKey);
		const seen: SeenIds = new Map([
			[a, 1000],
			[b, 1001],
			[c, 1100],
		]);
		// Minute 17 ends at 1020 s, minute 19 at 1140 s.
		expect(packKeys(seen)).toBe(`17 0:${a}${b} 2:${c}`);
		expect(fromStored({ seenEventKeys: packKeys(seen) })).toEqual(
			new Map([
				[a, 1020],
				[b, 1020],
				[c, 1140],
			]),
		);
		expect(packKeys(new Map())).toBe('0');
		expect(fromStored({ seenEventKeys: packKeys(new Map()) })).toEqual(new Map());
	});

	it('takes about 13 bytes a key when ids arrive over a day', () => {
		const seen: SeenIds = new Map();
		for (let index = 0; index < 5000; index++)
			seen.set(eventKey(`evt_${index}`), 1_700_000_000 + Math.floor(index * 17.28));
		expect(packKeys(seen).length / seen.size).toBeLessThan(14);
		expect(fromStored({ seenEventKeys: packKeys(seen) }).size).toBe(5000);
	});

	it('reads a packed string with malformed groups by skipping them', () => {
		const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(eventKey);
		expect(fromStored({ seenEventKeys: `10 0:${a} x:${b} 1:short 2${c} :${d} 3:${d}` })).toEqual(
			new Map([
				[a, 600],
				[d, 780],
			]),
		);
		expect(fromStored({ seenEventKeys: `garbage 0:${a}` })).toEqual(new Map());
		expect(fromStored({ seenEventKeys: 42 })).toEqual(new Map());
	});

	const keyed = (entries: Array<[string, number]>): SeenIds =>
		new Map(entries.map(([id, acceptedAt]) => [eventKey(id), acceptedAt]));

	it('reads the ids earlier versions stored, packed by line, and keys them', () => {
		expect(
			fromStored({ seenEventIds: '1000\n0 ok\nnot-a-line\nx bad\n5 "unterminated\n7 "\\u0041"' }),
		).toEqual(
			keyed([
				['ok', 1000],
				['A', 1007],
			]),
		);
		expect(fromStored({ seenEventIds: '1000\n0 "a\\nnewline"\n1 an id with spaces' })).toEqual(
			keyed([
				['a\nnewline', 1000],
				['an id with spaces', 1001],
			]),
		);
		expect(fromStored({ seenEventIds: 'garbage\n0 id' })).toEqual(new Map());
	});

	it("reads earlier versions' list and keyed forms, and skips malformed entries of either", () => {
		expect(fromStored({ seenEventIds: { '#old': 1000, '#bad': 'x', unprefixed: 5 } })).toEqual(
			keyed([['old', 1000]]),
		);
		expect(
			fromStored({ seenEventIds: ['ok', 1000, 7, 1001, 'no-time', null, 'dangling'] }),
		).toEqual(keyed([['ok', 1000]]));
		expect(fromStored({ seenEventIds: null })).toEqual(new Map());
		expect(fromStored({})).toEqual(new Map());
	});

	it('reads both fields when an earlier version wrote beside this one', () => {
		const packed = packKeys(keyed([['new', 1200]]));
		expect(fromStored({ seenEventIds: ['old', 1000], seenEventKeys: packed })).toEqual(
			keyed([
				['old', 1000],
				['new', 1200],
			]),
		);
	});
});
