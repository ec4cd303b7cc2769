import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from '../../../../lib/delivery/retrySchedule';

const HOUR = 3_600_000;

describe('parseRetrySchedule', () => {
	it("reads the default, Svix's waits after its immediate first attempt", () => {
		expect(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual({
			kind: 'valid',
			delaysMs: [5000, 5 * 60_000, 30 * 60_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
		});
	});

	it.each([
		['0s', [0]],
		['1.5s', [1500]],
		[' 2S ,3M,1h , 1d ', [2000, 180_000, HOUR, 24 * HOUR]],
		['30d', [30 * 24 * HOUR]],
	])('reads %j', (text, delaysMs) => {
		expect(parseRetrySchedule(text)).toEqual({ kind: 'valid', delaysMs });
	});

	it.each([
		['', 'The retry schedule is empty; e.g. "5s, 5m, 30m, 2h, 5h, 10h, 10h".'],
		[undefined, 'The retry schedule is empty; e.g. "5s, 5m, 30m, 2h, 5h, 10h, 10h".'],
		['5', '"5" in the retry schedule is not a wait such as 30s, 5m, 2h or 1d.'],
		['5s,,5m', '"" in the retry schedule is not a wait such as 30s, 5m, 2h or 1d.'],
		['-5s', '"-5s" in the retry schedule is not a wait such as 30s, 5m, 2h or 1d.'],
		['5 minutes', '"5 minutes" in the retry schedule is not a wait such as 30s, 5m, 2h or 1d.'],
		['31d', '"31d" in the retry schedule is longer than 30 days.'],
		[
			Array.from({ length: 31 }, () => '1s').join(','),
			'The retry schedule has 31 waits; at most 30 are allowed.',
		],
	])('refuses %j', (text, message) => {
		expect(parseRetrySchedule(text)).toEqual({ kind: 'invalid', message });
	});
});
