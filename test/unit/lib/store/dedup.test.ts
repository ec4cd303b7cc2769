import {
	absorb,
	fromStored,
	claim,
	emptyLedger,
	eventKey,
	firstUseOfNonce,
	packKeys,
	settle,
	remember,
	wasSeen,
	type SeenIds,
} from '../../../../lib/store/dedup';

const options = { retentionSeconds: 100, maxEntries: 3 };

describe('duplicate detection', () => {
	it('remembers an id for the retention window only', () => {
		const seen: SeenIds = new Map();
		remember(seen, 'a', 1000, options);
		expect(wasSeen(seen, 'a', 1099, options)).toBe(true);
		expect(wasSeen(seen, 'a', 1100, options)).toBe(false);
		expect(wasSeen(seen, 'b', 1000, options)).toBe(false);
	});

	it('forgets the oldest ids beyond the maximum count', () => {
		const seen: SeenIds = new Map();
		['a', 'b', 'c', 'd'].forEach((id, index) => remember(seen, id, 1000 + index, options));
		expect(['a', 'b', 'c', 'd'].map((id) => wasSeen(seen, id, 1005, options))).toEqual([
			false,
			true,
			true,
			true,
		]);
		expect(seen.size).toBe(3);
	});

	it('drops expired ids when new ones arrive, keeping the store small', () => {
		const seen: SeenIds = new Map();
		remember(seen, 'old', 1000, options);
		remember(seen, 'new', 1200, options);
		expect([...seen.keys()]).toEqual(['new']);
	});

	it('keeps acceptance order for numeric-looking ids', () => {
		const seen: SeenIds = new Map();
		['30', '20', '10', '5'].forEach((id, index) => remember(seen, id, 1000 + index, options));
		expect(wasSeen(seen, '30', 1004, options)).toBe(false);
		expect(wasSeen(seen, '5', 1004, options)).toBe(true);
	});

	it('claims an id once; it is in flight until settled, then stored or forgotten', () => {
		const ledger = emptyLedger();
		expect(claim(ledger, 'x', 1000, options)).toBe('claimed');
		expect(claim(ledger, 'x', 1000, options)).toBe('in_flight');
		settle(ledger, 'x', true, 1001, options);
		expect(claim(ledger, 'x', 1002, options)).toBe('duplicate');
		expect(ledger.stored).toEqual(new Map([[eventKey('x'), 1001]]));
		expect(claim(ledger, 'y', 1002, options)).toBe('claimed');
		settle(ledger, 'y', false, 1003, options);
		expect(ledger.inFlight.size).toBe(0);
		expect(claim(ledger, 'y', 1004, options)).toBe('claimed');
	});

	it('absorbs the still-remembered ids another store holds, without overwriting its own', () => {
		const memory: SeenIds = new Map();
		remember(memory, 'mine', 1050, options);
		const persisted: SeenIds = new Map();
		remember(persisted, 'expired', 900, options);
		remember(persisted, 'mine', 1000, options);
		remember(persisted, 'theirs', 1040, options);
		expect(absorb(memory, persisted, 1050, options)).toBe(false);
		expect(memory).toEqual(
			new Map([
				['mine', 1050],
				['theirs', 1040],
			]),
		);
	});

	it('keeps the newest ids when absorbing fills it past the maximum, whatever order they arrived in', () => {
		const memory: SeenIds = new Map();
		remember(memory, 'recent', 1040, options);
		remember(memory, 'newest', 1045, options);
		const persisted: SeenIds = new Map();
		remember(persisted, 'older', 1010, options);
		remember(persisted, 'middle', 1020, options);
		absorb(memory, persisted, 1050, options);
		expect(
			['older', 'middle', 'recent', 'newest'].map((id) => wasSeen(memory, id, 1050, options)),
		).toEqual([false, true, true, true]);
		// Saved oldest first, as the stored form promises.
		expect([...memory.keys()]).toEqual(['middle', 'recent', 'newest']);
	});

	it('tells when the other store lacks ids this one holds, as after another process saved over them', () => {
		const memory: SeenIds = new Map();
		remember(memory, 'mine', 1000, options);
		remember(memory, 'also-mine', 1001, options);
		const overwritten: SeenIds = new Map();
		remember(overwritten, 'mine', 1000, options);
		remember(overwritten, 'theirs', 1002, options);
		expect(absorb(memory, overwritten, 1003, options)).toBe(true);
		expect(absorb(new Map(), new Map(), 1003, options)).toBe(false);
		expect(absorb(memory, new Map(), 1003, options)).toBe(true);
	});

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

describe('firstUseOfNonce', () => {
	it('accepts a nonce once, for twice the tolerance and a second, then forgets it', () => {
		const ledger = emptyLedger();
		expect(firstUseOfNonce(ledger, 'n', 1000, 300)).toBe(true);
		expect(firstUseOfNonce(ledger, 'n', 1600, 300)).toBe(false);
		expect(firstUseOfNonce(ledger, 'other', 1600, 300)).toBe(true);
		expect(firstUseOfNonce(ledger, 'n', 1601, 300)).toBe(true);
	});

	it('keeps nonces apart from the event ids', () => {
		const ledger = emptyLedger();
		firstUseOfNonce(ledger, 'n', 1000, 300);
		expect(claim(ledger, 'n', 1000, options)).toBe('claimed');
		expect(ledger.stored).toEqual(new Map());
	});
});
