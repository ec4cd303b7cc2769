import {
	isAccepted,
	matchesPattern,
	parsePatternList,
	outputIndexByEventType,
} from '../../../../lib/events/patterns';

describe('event type patterns', () => {
	it.each([
		['flow.start', 'flow.start', true],
		['flow.start', 'flow.end', false],
		['flow.start', 'flow.*', true],
		['flow.start', '*.start', true],
		['technology.start', 'flow.*', false],
		['flow', 'flow.*', false],
		['order.created.v2', 'order.*', true],
		['anything', '*', true],
		['flowXstart', 'flow.start', false],
		['a+b', 'a+b', true],
		['a+b', 'a+*', true],
		['(x)', '(*)', true],
	])('%s against %s matches: %s', (type, pattern, expected) => {
		expect(matchesPattern(type, pattern)).toBe(expected);
	});

	it('reads comma- and newline-separated lists, dropping blanks', () => {
		expect(parsePatternList(' order.*, ping ,\n\ninvoice.paid,')).toEqual([
			'order.*',
			'ping',
			'invoice.paid',
		]);
		expect(parsePatternList('')).toEqual([]);
	});

	it('accepts everything when nothing is selected', () => {
		expect(isAccepted('whatever', { types: [], patterns: [] })).toBe(true);
	});

	it('accepts selected types and pattern matches only', () => {
		const filter = { types: ['flow.start'], patterns: ['order.*'] };
		expect(isAccepted('flow.start', filter)).toBe(true);
		expect(isAccepted('order.paid', filter)).toBe(true);
		expect(isAccepted('flow.end', filter)).toBe(false);
	});

	it('puts a type on its own output, anything else on the trailing "other" output', () => {
		expect(outputIndexByEventType('flow.end', ['flow.start', 'flow.end'])).toBe(1);
		expect(outputIndexByEventType('ping', ['flow.start', 'flow.end'])).toBe(2);
	});
});
