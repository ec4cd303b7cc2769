import { toCsv, toNdjson } from './formats';
import type { JsonObject, PublishedDataset } from './publish';
import type { PageQuery, ResponseFormat } from './query';
import { wrappedListJson, type ListWrap } from './wrap';

export interface RenderedBody {
	contentType: string;
	text: string;
}

export interface EnvelopeMeta {
	count: number;
	total: number;
	offset: number;
	/** Null for a single object, which is not paged. */
	limit: number | null;
	last_updated: string | null;
	version: number;
}

const CONTENT_TYPES: Record<ResponseFormat, string> = {
	csv: 'text/csv; charset=utf-8; header=present',
	json: 'application/json; charset=utf-8',
	ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * The body for one page of the dataset in the format asked for. With `wrap`, JSON serves a list
 * inside an object; CSV and NDJSON serve the list's rows either way.
 */
export function renderPage(
	dataset: PublishedDataset,
	page: PageQuery,
	wrap: ListWrap | null = null,
): RenderedBody {
	const contentType = CONTENT_TYPES[page.format];
	if (page.format === 'json') return { contentType, text: jsonEnvelope(dataset, page, wrap) };
	const rows = pageRows(dataset, page);
	return { contentType, text: page.format === 'csv' ? toCsv(rows) : toNdjson(rows) };
}

/** `{"data": ..., "meta": {...}}`, assembled around the stored JSON text instead of re-serialising it. */
function jsonEnvelope(dataset: PublishedDataset, page: PageQuery, wrap: ListWrap | null): string {
	const { dataJson, count } = pageJson(dataset, page);
	const isList = dataset.shape === 'list';
	const data = isList && wrap ? wrappedListJson(wrap, dataJson, dataset) : dataJson;
	const meta: EnvelopeMeta = {
		count,
		total: dataset.total,
		offset: isList ? page.offset : 0,
		limit: isList ? page.limit : null,
		last_updated: dataset.lastUpdated,
		version: dataset.version,
	};
	return `{"data":${data},"meta":${JSON.stringify(meta)}}`;
}

function pageJson(dataset: PublishedDataset, page: PageQuery): { dataJson: string; count: number } {
	const coversAll = page.offset === 0 && page.limit >= dataset.total;
	if (dataset.shape === 'object' || coversAll)
		return { dataJson: dataset.json, count: dataset.total };
	const rows = pageRows(dataset, page);
	return { dataJson: JSON.stringify(rows), count: rows.length };
}

function pageRows(dataset: PublishedDataset, page: PageQuery): JsonObject[] {
	if (dataset.shape === 'object')
		return dataset.total > 0 ? [JSON.parse(dataset.json) as JsonObject] : [];
	const items = JSON.parse(dataset.json) as JsonObject[];
	return items.slice(page.offset, page.offset + page.limit);
}
