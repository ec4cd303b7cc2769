import { createHash } from 'node:crypto';

/**
 * Serves a published list inside an object, for clients that expect one object holding the list
 * (`{ "alerts": [...], "last_updated": ..., "active_alerts_count": 2 }`). The stored data stays the
 * list, so Append keeps working on it and `limit` / `offset` page the list inside.
 */
export interface ListWrap {
	listField: string;
	/** Field holding how many items the whole list has (not just the page). */
	countField?: string;
	/** Field holding when the list last changed (ISO time, null before the first publish). */
	updatedField?: string;
}

/** Why the field names cannot make an object, or undefined. */
export function listWrapProblem({
	listField,
	countField,
	updatedField,
}: ListWrap): string | undefined {
	if (listField.trim() === '') return 'List Field must name the field that holds the list.';
	const names = [listField, countField, updatedField].filter((name) => name !== undefined);
	if (new Set(names).size < names.length) {
		return `List Field, Count Field and Updated Field must differ, not ${names.map((name) => JSON.stringify(name)).join(', ')}.`;
	}
	return undefined;
}

/** The object served as `data`, around the list's JSON text (never re-serialised). */
export function wrappedListJson(
	wrap: ListWrap,
	listJson: string,
	list: { total: number; lastUpdated: string | null },
): string {
	const fields = [`${JSON.stringify(wrap.listField)}:${listJson}`];
	if (wrap.updatedField !== undefined)
		fields.push(`${JSON.stringify(wrap.updatedField)}:${JSON.stringify(list.lastUpdated)}`);
	if (wrap.countField !== undefined)
		fields.push(`${JSON.stringify(wrap.countField)}:${list.total}`);
	return `{${fields.join(',')}}`;
}

/** Part of the ETag: the same data served inside another object is another body. */
export function wrapTag(wrap: ListWrap | null): string {
	if (!wrap) return '';
	const names = JSON.stringify([wrap.listField, wrap.countField, wrap.updatedField]);
	return `in-${createHash('sha256').update(names).digest('base64url').slice(0, 10)}`;
}
