import { errorAnswer, type HttpAnswer } from '../http/answers';

export type ResponseFormat = 'csv' | 'json' | 'ndjson';

/** Formats served besides JSON, when the node enables them. */
export type ExtraFormat = Exclude<ResponseFormat, 'json'>;

export interface PageQuery {
	format: ResponseFormat;
	offset: number;
	/** The limit in force: the one asked for, or the maximum page size when none was. */
	limit: number;
}

export interface QuerySettings {
	maxPageSize: number;
	extraFormats: ExtraFormat[];
}

export type ParsedPageQuery =
	| { kind: 'page'; page: PageQuery }
	| { kind: 'invalid'; answer: HttpAnswer };

// Digits only: rejects signs, decimals, exponents and blanks; 15 digits stay exact as numbers.
const WHOLE_NUMBER = /^\d{1,15}$/;

/**
 * Reads `limit`, `offset` and `format` from a parsed query string. Repeated or malformed
 * parameters are refused rather than guessed at; other parameters (cache busters) are ignored.
 */
export function parsePageQuery(
	query: Record<string, unknown>,
	settings: QuerySettings,
): ParsedPageQuery {
	const { maxPageSize, extraFormats } = settings;
	const limit = wholeNumber(query.limit, maxPageSize);
	if (limit === null || limit > maxPageSize) {
		return invalid(`limit must be a whole number from 0 to ${maxPageSize}.`);
	}
	const offset = wholeNumber(query.offset, 0);
	if (offset === null) return invalid('offset must be a whole number, 0 or more.');
	const format = query.format === undefined ? 'json' : query.format;
	if (format !== 'json' && !extraFormats.includes(format as ExtraFormat)) {
		const served = ['json', ...extraFormats].join(', ');
		return invalid(`format must be one of: ${served}.`);
	}
	return { kind: 'page', page: { format: format as ResponseFormat, offset, limit } };
}

function wholeNumber(value: unknown, whenAbsent: number): number | null {
	if (value === undefined) return whenAbsent;
	return typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : null;
}

function invalid(message: string): ParsedPageQuery {
	return { kind: 'invalid', answer: errorAnswer(400, 'invalid_query', message) };
}
