import type { DeliveryResult } from '../../../../lib/delivery/deliver';
import {
	LISTED_FAILURES,
	reportError,
	runFailure,
	urlForMessages,
	type EventReport,
} from '../../../../lib/delivery/report';

const delivered = (url: string): DeliveryResult => ({
	url,
	ok: true,
	status: 202,
	attempts: 1,
	durationMs: 12,
	error: null,
	responseBody: '{"received":true}',
	history: [{ at: '2026-11-23T10:00:00.000Z', status: 202, error: null }],
});
const failed = (url: string, error: string, attempts = 5): DeliveryResult => ({
	url,
	ok: false,
	status: null,
	attempts,
	durationMs: 4000,
	error,
	responseBody: null,
	history: [],
});
const report = (eventId: string, deliveries: DeliveryResult[]): EventReport => ({
	eventId,
	type: 'order.created',
	deliveries,
});

describe('urlForMessages', () => {
	it('drops the query string and fragment, which often carry tokens', () => {
		expect(urlForMessages('https://hooks.example/in?token=SECRET#frag')).toBe(
			'https://hooks.example/in',
		);
	});

	it('keeps a port and the path', () => {
		expect(urlForMessages('http://127.0.0.1:8080/a/b')).toBe('http://127.0.0.1:8080/a/b');
	});

	it('does not echo something that is not a URL', () => {
		expect(urlForMessages('not a url')).toBe('(invalid URL)');
	});
});

describe('reportError', () => {
	it('is null when every delivery succeeded', () => {
		expect(
			reportError(
				report('evt_1', [delivered('https://a.example/'), delivered('https://b.example/')]),
			),
		).toBeNull();
	});

	it('names each failed URL with its error and attempts', () => {
		const text = reportError(
			report('evt_1', [
				delivered('https://a.example/'),
				failed('https://b.example/hook?key=SECRET', 'HTTP 500'),
				failed('https://c.example/', 'HTTP 400', 1),
			]),
		);
		expect(text).toBe(
			'2 of 3 deliveries of event evt_1 failed: https://b.example/hook: HTTP 500 (5 attempts); https://c.example/: HTTP 400 (1 attempt)',
		);
	});
});

describe('runFailure', () => {
	it('is null when nothing failed', () => {
		expect(
			runFailure([{ itemIndex: 0, report: report('evt_1', [delivered('https://a.example/')]) }]),
		).toBeNull();
	});

	it('counts failures among all deliveries and points at the first failing item', () => {
		const failure = runFailure([
			{
				itemIndex: 0,
				report: report('evt_0', [delivered('https://a.example/'), delivered('https://b.example/')]),
			},
			{
				itemIndex: 1,
				report: report('evt_1', [
					delivered('https://a.example/'),
					failed('https://b.example/', 'HTTP 503'),
				]),
			},
			{
				itemIndex: 2,
				report: report('evt_2', [
					failed('https://a.example/', 'No answer within 10000 ms'),
					failed('https://b.example/', 'HTTP 503'),
				]),
			},
		]);
		expect(failure).toEqual({
			message:
				'3 of 6 deliveries failed: https://b.example/ (HTTP 503), https://a.example/ (No answer within 10000 ms)',
			description: [
				'Every delivery was attempted; these failed:',
				'Item 1, event evt_1: https://b.example/: HTTP 503 (5 attempts)',
				'Item 2, event evt_2: https://a.example/: No answer within 10000 ms (5 attempts)',
				'Item 2, event evt_2: https://b.example/: HTTP 503 (5 attempts)',
			].join('\n'),
			itemIndex: 1,
		});
	});

	it(`lists at most ${LISTED_FAILURES} failures and names at most three kinds in the message`, () => {
		const reports = Array.from({ length: 25 }, (_, index) => ({
			itemIndex: index,
			report: report(`evt_${index}`, [failed(`https://r${index % 5}.example/`, 'HTTP 500')]),
		}));
		const failure = runFailure(reports);
		expect(failure?.message).toBe(
			'25 of 25 deliveries failed: https://r0.example/ (HTTP 500), https://r1.example/ (HTTP 500), https://r2.example/ (HTTP 500), …',
		);
		const lines = failure?.description.split('\n') ?? [];
		expect(lines).toHaveLength(1 + LISTED_FAILURES + 1);
		expect(lines.at(-1)).toBe('…and 15 more.');
	});

	it('never shows query strings', () => {
		const failure = runFailure([
			{
				itemIndex: 0,
				report: report('evt_0', [failed('https://a.example/x?sig=SECRET', 'HTTP 401')]),
			},
		]);
		expect(JSON.stringify(failure)).not.toContain('SECRET');
	});
});
