import { parseRetryAfterMs } from '../../../../lib/delivery/retryAfter';

const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('parseRetryAfterMs', () => {
	it.each([
		['0', 0],
		['1', 1000],
		['120', 120_000],
		[' 5 ', 5000],
	])('reads delay seconds %p as %i ms', (header, expected) => {
		expect(parseRetryAfterMs(header, NOW)).toBe(expected);
	});

	it.each([
		['IMF-fixdate', 'Mon, 23 Nov 2026 10:00:30 GMT'],
		['obsolete RFC 850 date', 'Monday, 23-Nov-26 10:00:30 GMT'],
	])('reads an HTTP date (%s) as the time until then', (_, header) => {
		expect(parseRetryAfterMs(header, NOW)).toBe(30_000);
	});

	it('reads an asctime date, which carries no zone, as local time', () => {
		const header = 'Mon Nov 23 10:00:30 2026';
		expect(parseRetryAfterMs(header, NOW)).toBe(
			Math.max(0, new Date(2026, 10, 23, 10, 0, 30).getTime() - NOW),
		);
	});

	it('answers 0 for a date already past', () => {
		expect(parseRetryAfterMs('Mon, 23 Nov 2026 09:59:00 GMT', NOW)).toBe(0);
	});

	it('measures the date against the injected clock, not the real one', () => {
		const header = 'Mon, 23 Nov 2026 10:01:00 GMT';
		expect(parseRetryAfterMs(header, NOW)).toBe(60_000);
		expect(parseRetryAfterMs(header, NOW + 45_000)).toBe(15_000);
	});

	it.each([
		['absent', undefined],
		['empty', ''],
		['blank', '   '],
		['a fraction', '1.5'],
		['negative', '-1'],
		['words', 'soon'],
		['a malformed date', 'Mon, 99 Foo 2026 10:00:30 GMT'],
	])('ignores a header that is %s', (_, header) => {
		expect(parseRetryAfterMs(header, NOW)).toBeUndefined();
	});
});
