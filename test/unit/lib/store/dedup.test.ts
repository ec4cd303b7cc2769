import {
	absorb,
	claim,
	emptyLedger,
	firstUseOfNonce,
	settle,
	remember,
	wasSeen,
	type SeenIds,
} from '../../../../lib/store/dedup';
import { eventKey } from '../../../../lib/store/eventKeys';

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
		const [x, y] = [eventKey('x'), eventKey('y')];
		expect(claim(ledger, x, 1000, options)).toBe('claimed');
		expect(claim(ledger, x, 1000, options)).toBe('in_flight');
		settle(ledger, x, true, 1001, options);
		expect(claim(ledger, x, 1002, options)).toBe('duplicate');
		expect(ledger.stored).toEqual(new Map([[x, 1001]]));
		expect(claim(ledger, y, 1002, options)).toBe('claimed');
		settle(ledger, y, false, 1003, options);
		expect(ledger.inFlight.size).toBe(0);
		expect(claim(ledger, y, 1004, options)).toBe('claimed');
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
		expect(claim(ledger, eventKey('n'), 1000, options)).toBe('claimed');
		expect(ledger.stored).toEqual(new Map());
	});
});
