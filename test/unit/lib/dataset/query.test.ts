import { parsePageQuery, type QuerySettings } from '../../../../lib/dataset/query';

const settings: QuerySettings = { maxPageSize: 1000, extraFormats: [] };
const withFormats: QuerySettings = { maxPageSize: 1000, extraFormats: ['csv', 'ndjson'] };

function refusal(query: Record<string, unknown>, options = settings) {
	const result = parsePageQuery(query, options);
	if (result.kind === 'page')
		throw new Error(`expected a refusal, got ${JSON.stringify(result.page)}`);
	return result.answer;
}

describe('parsePageQuery: accepted queries', () => {
	it('defaults to JSON, from the start, up to the maximum page size', () => {
		expect(parsePageQuery({}, settings)).toEqual({
			kind: 'page',
			page: { format: 'json', offset: 0, limit: 1000 },
		});
	});

	it('reads limit and offset', () => {
		expect(parsePageQuery({ limit: '25', offset: '50' }, settings)).toEqual({
			kind: 'page',
			page: { format: 'json', offset: 50, limit: 25 },
		});
	});

	it('accepts a limit of 0 (meta only) and exactly the maximum', () => {
		expect(parsePageQuery({ limit: '0' }, settings)).toMatchObject({ page: { limit: 0 } });
		expect(parsePageQuery({ limit: '1000' }, settings)).toMatchObject({ page: { limit: 1000 } });
	});

	it('reads leading zeros as the same number, so equal pages share an ETag', () => {
		expect(parsePageQuery({ limit: '010', offset: '007' }, settings)).toMatchObject({
			page: { limit: 10, offset: 7 },
		});
	});

	it('accepts any offset, even past the end of the data', () => {
		expect(parsePageQuery({ offset: '999999999999999' }, settings)).toMatchObject({
			page: { offset: 999999999999999 },
		});
	});

	it('ignores parameters it does not know, such as cache busters', () => {
		expect(parsePageQuery({ _: '1700000000', callback: 'x' }, settings)).toMatchObject({
			kind: 'page',
		});
	});

	it('serves json always and the extra formats when enabled', () => {
		expect(parsePageQuery({ format: 'json' }, settings)).toMatchObject({
			page: { format: 'json' },
		});
		expect(parsePageQuery({ format: 'csv' }, withFormats)).toMatchObject({
			page: { format: 'csv' },
		});
		expect(parsePageQuery({ format: 'ndjson' }, withFormats)).toMatchObject({
			page: { format: 'ndjson' },
		});
	});
});

describe('parsePageQuery: refused queries', () => {
	it('answers 400 invalid_query naming the parameter', () => {
		expect(refusal({ limit: '-1' })).toEqual({
			status: 400,
			body: { error: 'invalid_query', message: 'limit must be a whole number from 0 to 1000.' },
		});
		expect(refusal({ offset: '-1' })).toEqual({
			status: 400,
			body: { error: 'invalid_query', message: 'offset must be a whole number, 0 or more.' },
		});
	});

	it.each(['-1', '1.5', '1e3', '+5', ' 5', '', 'ten', '0x10', '1001', '9999999999999999'])(
		'refuses limit=%p',
		(limit) => {
			expect(refusal({ limit })).toMatchObject({
				status: 400,
				body: { message: expect.stringMatching(/^limit /) },
			});
		},
	);

	it.each(['-1', '2.0', '1e2', '', 'abc'])('refuses offset=%p', (offset) => {
		expect(refusal({ offset })).toMatchObject({
			status: 400,
			body: { message: expect.stringMatching(/^offset /) },
		});
	});

	it('refuses repeated and nested parameters instead of picking one', () => {
		expect(refusal({ limit: ['1', '2'] }).status).toBe(400);
		expect(refusal({ offset: { a: '1' } }).status).toBe(400);
		expect(refusal({ format: ['json', 'csv'] }, withFormats).status).toBe(400);
	});

	it('follows a lower maximum page size', () => {
		expect(refusal({ limit: '11' }, { maxPageSize: 10, extraFormats: [] }).body).toEqual({
			error: 'invalid_query',
			message: 'limit must be a whole number from 0 to 10.',
		});
	});

	it('refuses formats that are not enabled, listing those that are', () => {
		expect(refusal({ format: 'csv' }).body).toEqual({
			error: 'invalid_query',
			message: 'format must be one of: json.',
		});
		expect(refusal({ format: 'xml' }, withFormats).body).toEqual({
			error: 'invalid_query',
			message: 'format must be one of: json, csv, ndjson.',
		});
		expect(refusal({ format: 'CSV' }, withFormats).status).toBe(400);
	});
});
