import type { JsonObject } from './publish';

/** One JSON document per line, each line ending in LF (ndjson.org). */
export function toNdjson(rows: unknown[]): string {
	return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/**
 * RFC 4180 CSV with a header row: the columns are every top-level field, in order of first
 * appearance; nested objects and arrays are written as JSON, null and missing fields as empty.
 */
export function toCsv(rows: JsonObject[]): string {
	const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
	if (columns.length === 0) return '';
	// Own fields only: a column named like an Object member ("constructor", "__proto__") must not
	// read that member from rows that lack the field.
	const cell = (row: JsonObject, column: string) =>
		cellText(Object.hasOwn(row, column) ? row[column] : undefined);
	const lines = [columns, ...rows.map((row) => columns.map((column) => cell(row, column)))];
	return lines.map((cells) => `${cells.map(quoteField).join(',')}\r\n`).join('');
}

function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

// Quoted only when needed: fields holding a quote, comma or line break; quotes are doubled.
function quoteField(text: string): string {
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
