import { isNotModified, validatorsFor } from '../../../../lib/dataset/conditional';
import { emptyDataset, type PublishedDataset } from '../../../../lib/dataset/publish';
import type { PageQuery } from '../../../../lib/dataset/query';

const dataset: PublishedDataset = {
	shape: 'list',
	json: '[{"id":1}]',
	total: 1,
	version: 7,
	lastUpdated: '2026-11-23T10:00:30.500Z',
	digest: 'abcDEF123_-xyz',
};
const page: PageQuery = { format: 'json', offset: 0, limit: 1000 };
const validators = validatorsFor(dataset, page);

describe('validatorsFor', () => {
	it('gives a strong ETag from version, digest, format and page, and an HTTP date', () => {
		expect(validators).toEqual({
			etag: '"7-abcDEF123_-xyz-json-0-1000"',
			lastModified: 'Mon, 23 Nov 2026 10:00:30 GMT',
		});
	});

	it.each<[string, Partial<PageQuery>]>([
		['format', { format: 'csv' }],
		['offset', { offset: 1 }],
		['limit', { limit: 10 }],
	])('changes the ETag with the %s', (_, change) => {
		expect(validatorsFor(dataset, { ...page, ...change }).etag).not.toBe(validators.etag);
	});

	it('changes the ETag with the data, even if a version number repeats', () => {
		expect(validatorsFor({ ...dataset, version: 8 }, page).etag).not.toBe(validators.etag);
		expect(validatorsFor({ ...dataset, digest: 'other' }, page).etag).not.toBe(validators.etag);
	});

	it('dates the never-published dataset at the Unix epoch', () => {
		expect(validatorsFor(emptyDataset('list'), page)).toEqual({
			etag: '"0-empty-list-json-0-1000"',
			lastModified: 'Thu, 01 Jan 1970 00:00:00 GMT',
		});
	});
});

describe('isNotModified', () => {
	it('is false for an unconditional request', () => {
		expect(isNotModified({}, validators)).toBe(false);
	});

	it.each([
		['the exact ETag', validators.etag],
		['the ETag in weak form', `W/${validators.etag}`],
		['a list containing it', `"other", ${validators.etag} , "more"`],
		['*', '*'],
	])('is true for If-None-Match with %s', (_, ifNoneMatch) => {
		expect(isNotModified({ 'if-none-match': ifNoneMatch }, validators)).toBe(true);
	});

	it.each([
		['another ETag', '"6-abcDEF123_-xyz-json-0-1000"'],
		['the ETag without quotes', validators.etag.slice(1, -1)],
		['a prefix of it', validators.etag.slice(0, -2) + '"'],
	])('is false for If-None-Match with %s', (_, ifNoneMatch) => {
		expect(isNotModified({ 'if-none-match': ifNoneMatch }, validators)).toBe(false);
	});

	it('is true when If-Modified-Since is at or after the last change, to the second', () => {
		expect(
			isNotModified({ 'if-modified-since': 'Mon, 23 Nov 2026 10:00:30 GMT' }, validators),
		).toBe(true);
		expect(
			isNotModified({ 'if-modified-since': 'Mon, 23 Nov 2026 11:00:00 GMT' }, validators),
		).toBe(true);
	});

	it('is false when If-Modified-Since is before the last change, or not a date', () => {
		expect(
			isNotModified({ 'if-modified-since': 'Mon, 23 Nov 2026 10:00:29 GMT' }, validators),
		).toBe(false);
		expect(isNotModified({ 'if-modified-since': 'yesterday' }, validators)).toBe(false);
	});

	it('lets If-None-Match decide when both are sent (RFC 9110 §13.2.2)', () => {
		const later = 'Tue, 24 Nov 2026 00:00:00 GMT';
		expect(
			isNotModified({ 'if-none-match': '"stale"', 'if-modified-since': later }, validators),
		).toBe(false);
		const earlier = 'Sun, 22 Nov 2026 00:00:00 GMT';
		expect(
			isNotModified({ 'if-none-match': validators.etag, 'if-modified-since': earlier }, validators),
		).toBe(true);
	});
});
