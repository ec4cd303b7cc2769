import type { HttpAnswer } from '../../../../lib/http/answers';
import {
	corsHeaders,
	parseAllowedOrigins,
	type AllowedOrigins,
} from '../../../../lib/dataset/cors';
import {
	publishDataset,
	type JsonObject,
	type PublishedDataset,
	type PublishSettings,
} from '../../../../lib/dataset/publish';
import {
	answerDataRequest,
	type DataRequest,
	type ServeConfig,
} from '../../../../lib/dataset/serve';
import { listWrapProblem } from '../../../../lib/dataset/wrap';
import { readHeader } from '../../../../lib/http/headers';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const TOKEN = 'example-serve-token-0123';

const config: ServeConfig = {
	access: { kind: 'none' },
	cacheControl: 'no-cache',
	query: { maxPageSize: 1000, extraFormats: ['csv', 'ndjson'] },
	emptyShape: 'list',
	listWrap: null,
};

function publish(items: JsonObject[], mode: PublishSettings['mode'] = 'replace'): PublishedDataset {
	const outcome = publishDataset(
		undefined,
		items,
		{ mode, keepNewest: 0, maxBytes: 1024 * 1024 },
		NOW,
	);
	if (!('dataset' in outcome)) throw new Error('unexpected');
	return outcome.dataset;
}

const rows = Array.from({ length: 5 }, (_, index) => ({ n: index + 1 }));
const list = publish(rows);

interface Situation extends Partial<ServeConfig> {
	/** The published dataset; null for nothing published yet. Defaults to `list`. */
	published?: PublishedDataset | null;
	/** The node's Allowed Origins; none unless given. */
	allowedOrigins?: AllowedOrigins;
}

function get(
	query: Record<string, unknown> = {},
	headers: DataRequest['headers'] = {},
	situation: Situation = {},
): HttpAnswer {
	const { published = list, allowedOrigins = { kind: 'none' }, ...overrides } = situation;
	const cors = corsHeaders(readHeader(headers, 'origin'), allowedOrigins);
	return answerDataRequest(
		{ query, headers },
		published ?? undefined,
		{ ...config, ...overrides },
		cors,
	);
}

function envelope(answer: HttpAnswer): { data: unknown; meta: Record<string, unknown> } {
	expect(answer.status).toBe(200);
	expect(typeof answer.body).toBe('string');
	return JSON.parse(answer.body as string);
}

describe('answerDataRequest: the JSON envelope', () => {
	it('returns the whole list with its meta and validators', () => {
		const answer = get();
		expect(answer.headers).toEqual({
			ETag: `"1-${list.digest}-json-0-1000"`,
			'Last-Modified': 'Mon, 23 Nov 2026 10:00:00 GMT',
			'Cache-Control': 'no-cache',
			'Content-Type': 'application/json; charset=utf-8',
		});
		expect(envelope(answer)).toEqual({
			data: rows,
			meta: {
				count: 5,
				total: 5,
				offset: 0,
				limit: 1000,
				last_updated: '2026-11-23T10:00:00.000Z',
				version: 1,
			},
		});
	});

	it('sends the stored JSON text as it is when the page covers everything', () => {
		expect(get().body).toBe(
			`{"data":${list.json},"meta":{"count":5,"total":5,"offset":0,"limit":1000,"last_updated":"2026-11-23T10:00:00.000Z","version":1}}`,
		);
	});

	it('answers with empty data and no time before anything was published', () => {
		expect(envelope(get({}, {}, { published: null }))).toEqual({
			data: [],
			meta: { count: 0, total: 0, offset: 0, limit: 1000, last_updated: null, version: 0 },
		});
		const object = envelope(get({}, {}, { published: null, emptyShape: 'object' }));
		expect(object.data).toEqual({});
		expect(object.meta).toMatchObject({ count: 0, limit: null, last_updated: null });
	});

	it('returns a single object unpaged', () => {
		const object = publish([{ temp: 21 }], 'singleObject');
		expect(envelope(get({ limit: '0', offset: '3' }, {}, { published: object }))).toEqual({
			data: { temp: 21 },
			meta: {
				count: 1,
				total: 1,
				offset: 0,
				limit: null,
				last_updated: '2026-11-23T10:00:00.000Z',
				version: 1,
			},
		});
	});
});

describe('answerDataRequest: paging', () => {
	it.each([
		[{ limit: '2' }, [1, 2], { count: 2, offset: 0, limit: 2 }],
		[{ limit: '2', offset: '2' }, [3, 4], { count: 2, offset: 2, limit: 2 }],
		[{ limit: '2', offset: '4' }, [5], { count: 1, offset: 4, limit: 2 }],
		[{ offset: '5' }, [], { count: 0, offset: 5, limit: 1000 }],
		[{ offset: '999' }, [], { count: 0, offset: 999, limit: 1000 }],
		[{ limit: '0' }, [], { count: 0, offset: 0, limit: 0 }],
	])('%p gives items %p', (query, numbers, meta) => {
		const { data, meta: actual } = envelope(get(query));
		expect(data).toEqual(numbers.map((n) => ({ n })));
		expect(actual).toMatchObject({ ...meta, total: 5 });
	});

	it('caps the default page at the maximum page size', () => {
		const { data, meta } = envelope(get({}, {}, { query: { maxPageSize: 3, extraFormats: [] } }));
		expect(data).toEqual(rows.slice(0, 3));
		expect(meta).toMatchObject({ count: 3, total: 5, limit: 3 });
	});

	it('refuses bad values with 400 that no cache keeps', () => {
		expect(get({ limit: '1001' })).toEqual({
			status: 400,
			body: { error: 'invalid_query', message: 'limit must be a whole number from 0 to 1000.' },
			headers: { 'Cache-Control': 'no-store' },
		});
	});
});

describe('answerDataRequest: other formats', () => {
	it('serves CSV', () => {
		const answer = get({ format: 'csv', limit: '2' });
		expect(answer.body).toBe('n\r\n1\r\n2\r\n');
		expect(answer.headers).toMatchObject({
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			ETag: `"1-${list.digest}-csv-0-2"`,
		});
	});

	it('serves NDJSON', () => {
		const answer = get({ format: 'ndjson', offset: '3' });
		expect(answer.body).toBe('{"n":4}\n{"n":5}\n');
		expect(answer.headers).toMatchObject({ 'Content-Type': 'application/x-ndjson; charset=utf-8' });
	});

	it('serves a single object as one row, and nothing before it is published', () => {
		const object = publish([{ a: 1, b: 'x' }], 'singleObject');
		expect(get({ format: 'csv' }, {}, { published: object }).body).toBe('a,b\r\n1,x\r\n');
		expect(get({ format: 'ndjson' }, {}, { published: object }).body).toBe('{"a":1,"b":"x"}\n');
		expect(get({ format: 'csv' }, {}, { published: null, emptyShape: 'object' }).body).toBe('');
	});

	it('refuses formats that are not enabled', () => {
		expect(
			get({ format: 'csv' }, {}, { query: { maxPageSize: 1000, extraFormats: [] } }).status,
		).toBe(400);
	});
});

describe('answerDataRequest: conditional requests', () => {
	const { ETag: etag, 'Last-Modified': lastModified } = get().headers as Record<string, string>;

	it('answers 304 without a body to a matching If-None-Match, keeping the validators', () => {
		expect(get({}, { 'if-none-match': etag })).toEqual({
			status: 304,
			headers: { ETag: etag, 'Last-Modified': lastModified, 'Cache-Control': 'no-cache' },
		});
	});

	it('answers 304 to If-Modified-Since at the last change', () => {
		expect(get({}, { 'if-modified-since': lastModified }).status).toBe(304);
	});

	it('answers 200 once the data changed', () => {
		const changed = publishDataset(
			list,
			[{ n: 99 }],
			{ mode: 'replace', keepNewest: 0, maxBytes: 1024 },
			new Date('2026-11-23T10:05:00Z'),
		);
		if (changed.kind !== 'published') throw new Error('unexpected');
		expect(get({}, { 'if-none-match': etag }, { published: changed.dataset }).status).toBe(200);
		expect(
			get({}, { 'if-modified-since': lastModified }, { published: changed.dataset }).status,
		).toBe(200);
	});

	it('does not reuse an ETag across pages or formats', () => {
		expect(get({ limit: '2' }, { 'if-none-match': etag }).status).toBe(200);
		expect(get({ format: 'csv' }, { 'if-none-match': etag }).status).toBe(200);
	});

	it('sends the configured Cache-Control', () => {
		expect(get({}, {}, { cacheControl: 'public, max-age=60' }).headers).toMatchObject({
			'Cache-Control': 'public, max-age=60',
		});
	});
});

describe('answerDataRequest: access', () => {
	const bearer: Situation = { access: { kind: 'bearer', tokens: [TOKEN] } };

	it('refuses before looking at the query or the conditional headers', () => {
		const { ETag: etag } = get().headers as Record<string, string>;
		for (const [query, headers] of [
			[{}, {}],
			[{ limit: 'bad' }, {}],
			[{}, { 'if-none-match': etag }],
		] as const) {
			expect(get(query, headers, bearer)).toEqual({
				status: 401,
				body: {
					error: 'unauthorized',
					message: 'Send a valid token as "Authorization: Bearer <token>".',
				},
				headers: { 'WWW-Authenticate': 'Bearer realm="n8n"', 'Cache-Control': 'no-store' },
			});
		}
	});

	it('serves the data to a valid token', () => {
		expect(get({}, { authorization: `Bearer ${TOKEN}` }, bearer).status).toBe(200);
	});
});

describe('answerDataRequest: CORS', () => {
	const cors: Situation = { allowedOrigins: parseAllowedOrigins('https://dash.example') };
	const allowed = {
		'Access-Control-Allow-Origin': 'https://dash.example',
		Vary: 'Origin',
		'Access-Control-Expose-Headers': 'ETag, Retry-After',
	};

	it('allows a listed origin on 200, 304, 400 and 401 alike, so pages can read the reason', () => {
		const origin = { origin: 'https://dash.example' };
		const { ETag: etag } = get().headers as Record<string, string>;
		expect(get({}, origin, cors).headers).toMatchObject(allowed);
		expect(get({}, { ...origin, 'if-none-match': etag }, cors).headers).toMatchObject(allowed);
		expect(get({ limit: 'x' }, origin, cors).headers).toMatchObject(allowed);
		const withAuth: Situation = { ...cors, access: { kind: 'bearer', tokens: [TOKEN] } };
		expect(get({}, origin, withAuth).headers).toMatchObject(allowed);
	});

	it('does not allow other origins', () => {
		const headers = get({}, { origin: 'https://evil.example' }, cors).headers;
		expect(headers).not.toHaveProperty('Access-Control-Allow-Origin');
		expect(headers).toMatchObject({ Vary: 'Origin' });
	});

	it('adds no CORS headers by default', () => {
		expect(Object.keys(get({}, { origin: 'https://dash.example' }).headers ?? {})).toEqual([
			'ETag',
			'Last-Modified',
			'Cache-Control',
			'Content-Type',
		]);
	});
});

describe('answerDataRequest: a list served inside an object', () => {
	const alerts = {
		listField: 'alerts',
		countField: 'active_alerts_count',
		updatedField: 'last_updated',
	};

	it('serves data as the object clients expect, the list first, its count and update time beside it', () => {
		const answer = get({}, {}, { listWrap: alerts });
		expect(answer.body).toMatch(/^\{"data":\{"alerts":\[/);
		expect(envelope(answer)).toEqual({
			data: { alerts: rows, last_updated: NOW.toISOString(), active_alerts_count: 5 },
			meta: {
				count: 5,
				total: 5,
				offset: 0,
				limit: 1000,
				last_updated: NOW.toISOString(),
				version: 1,
			},
		});
	});

	it('pages the list inside; the count field still counts the whole list', () => {
		const { data, meta } = envelope(get({ limit: '2', offset: '3' }, {}, { listWrap: alerts }));
		expect(data).toEqual({
			alerts: [{ n: 4 }, { n: 5 }],
			last_updated: NOW.toISOString(),
			active_alerts_count: 5,
		});
		expect(meta).toMatchObject({ count: 2, total: 5, offset: 3, limit: 2 });
	});

	it('holds only the fields it names', () => {
		const { data } = envelope(get({}, {}, { listWrap: { listField: 'items' } }));
		expect(data).toEqual({ items: rows });
	});

	it('serves an empty list, no time and a count of 0 before the first publish', () => {
		const { data } = envelope(get({}, {}, { published: null, listWrap: alerts }));
		expect(data).toEqual({ alerts: [], last_updated: null, active_alerts_count: 0 });
	});

	it('gives the same data another ETag in another object, so no cache serves the old shape', () => {
		const tags = [null, alerts, { ...alerts, listField: 'items' }, { listField: 'alerts' }].map(
			(listWrap) => get({}, {}, { listWrap }).headers?.ETag,
		);
		expect(new Set(tags).size).toBe(4);
		const conditional = get({}, { 'if-none-match': tags[1] as string }, { listWrap: alerts });
		expect(conditional.status).toBe(304);
	});

	it('serves CSV of the rows of the list, as for a plain list', () => {
		const wrapped = get({ format: 'csv' }, {}, { listWrap: alerts });
		expect(wrapped.body).toBe('n\r\n1\r\n2\r\n3\r\n4\r\n5\r\n');
	});
});

describe('listWrapProblem', () => {
	it.each([
		[{ listField: '' }, 'List Field must name'],
		[{ listField: '  ' }, 'List Field must name'],
		[{ listField: 'a', countField: 'a' }, 'must differ, not "a", "a"'],
		[{ listField: 'a', countField: 'n', updatedField: 'n' }, 'must differ'],
	])('refuses %j', (wrap, problem) => {
		expect(listWrapProblem(wrap)).toContain(problem);
	});

	it('accepts distinct names, the optional ones left out', () => {
		expect(
			listWrapProblem({ listField: 'alerts', countField: 'n', updatedField: 'at' }),
		).toBeUndefined();
		expect(listWrapProblem({ listField: 'alerts' })).toBeUndefined();
	});
});
