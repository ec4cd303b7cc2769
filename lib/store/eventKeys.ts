import { createHash } from 'node:crypto';

import type { SeenIds } from './dedup';

// What the duplicate record keeps of an event id (its key), and the forms the keys are stored and
// sent in: packed into one string in the workflow's static data and in a persist request, because
// n8n reads and parses the whole static data with every request to the trigger.

/** Bytes of an event id's SHA-256 that the record keeps: 72 bits, 12 base64url characters. */
const KEY_BYTES = 9;
const KEY_LENGTH = 12;

/**
 * What the duplicate record keeps of an event id: a digest of fixed, short length, whatever the
 * sender's ids look like. The chance that a new event's key matches one of 5,000 remembered ones
 * is about one in 10^18.
 */
export function eventKey(id: string): string {
	return createHash('sha256').update(id).digest().subarray(0, KEY_BYTES).toString('base64url');
}

/** Stored times are whole minutes, rounded up: an id is kept up to a minute longer, never shorter. */
const MINUTE = 60;

/**
 * The remembered keys as one string, the form the workflow's static data holds them in (and a
 * persist request carries): the first minute they were accepted in, then one group per minute,
 * oldest first, `<minutes after the first>:<keys>`, the keys written back to back. n8n reads
 * and parses the whole static data with every request to the trigger, twice for an accepted
 * event, and its cost follows the size: about 13 bytes an id this way.
 */
export function packKeys(seen: SeenIds): string {
	let first: number | undefined;
	let minute: number | undefined;
	const groups: string[] = [];
	for (const [key, acceptedAt] of seen) {
		const keyMinute = Math.ceil(acceptedAt / MINUTE);
		first ??= keyMinute;
		if (keyMinute === minute) {
			groups[groups.length - 1] += key;
		} else {
			groups.push(`${keyMinute - first}:${key}`);
			minute = keyMinute;
		}
	}
	return [String(first ?? 0), ...groups].join(' ');
}

function unpackKeys(packed: unknown, seen: SeenIds): void {
	if (typeof packed !== 'string') return;
	const [head, ...groups] = packed.split(' ');
	const first = Number(head);
	if (!Number.isSafeInteger(first)) return;
	for (const group of groups) {
		const colon = group.indexOf(':');
		const minute = first + Number(group.slice(0, colon));
		const keys = group.slice(colon + 1);
		if (colon <= 0 || !Number.isSafeInteger(minute) || keys.length % KEY_LENGTH !== 0) continue;
		for (let at = 0; at < keys.length; at += KEY_LENGTH)
			seen.set(keys.slice(at, at + KEY_LENGTH), minute * MINUTE);
	}
}

/** Where a trigger node's static data holds its record, and the fields of earlier versions. */
export interface StoredRecord {
	/** The packed keys (`packKeys`). */
	seenEventKeys?: unknown;
	/** Earlier versions: the ids themselves, packed by line, as a flat list, or keyed `#<id>`. */
	seenEventIds?: unknown;
}

/** The remembered keys, from the record's field and from the ids an earlier version stored. */
export function fromStored(record: StoredRecord): SeenIds {
	const seen: SeenIds = new Map();
	for (const [id, acceptedAt] of storedIds(record.seenEventIds)) seen.set(eventKey(id), acceptedAt);
	unpackKeys(record.seenEventKeys, seen);
	return seen;
}

/** The keys a persist request carries, or undefined when its body is not a record. */
export function fromPersisted(body: unknown): SeenIds | undefined {
	const { keys, ids } = (body ?? {}) as { keys?: unknown; ids?: unknown };
	if (typeof keys === 'string') return fromStored({ seenEventKeys: keys });
	// A process of an earlier version, during an upgrade, sends its ids as a flat list.
	if (Array.isArray(ids)) return fromStored({ seenEventIds: ids });
	return undefined;
}

function storedIds(stored: unknown): SeenIds {
	const seen: SeenIds = new Map();
	if (typeof stored === 'string') {
		unpackIds(stored, seen);
	} else if (Array.isArray(stored)) {
		for (let index = 0; index + 1 < stored.length; index += 2) {
			const [id, acceptedAt] = [stored[index], stored[index + 1]];
			if (typeof id === 'string' && typeof acceptedAt === 'number') seen.set(id, acceptedAt);
		}
	} else if (typeof stored === 'object' && stored !== null) {
		// Keyed `#<id>`: the prefix kept numeric-looking ids in insertion order.
		for (const [key, acceptedAt] of Object.entries(stored)) {
			if (key.startsWith('#') && typeof acceptedAt === 'number') seen.set(key.slice(1), acceptedAt);
		}
	}
	return seen;
}

/** The previous version's string: its first time, then `<seconds after it> <id>` per line. */
function unpackIds(packed: string, seen: SeenIds): void {
	const [head, ...lines] = packed.split('\n');
	const base = Number(head);
	if (!Number.isSafeInteger(base)) return;
	for (const line of lines) {
		const space = line.indexOf(' ');
		const offset = Number(line.slice(0, space));
		const id = unpackedId(line.slice(space + 1));
		if (space > 0 && Number.isSafeInteger(offset) && id !== undefined) seen.set(id, base + offset);
	}
}

/** An id that could break its line, or look encoded, was written as a JSON string. */
function unpackedId(text: string): string | undefined {
	if (!text.startsWith('"')) return text;
	try {
		const id: unknown = JSON.parse(text);
		return typeof id === 'string' ? id : undefined;
	} catch {
		return undefined;
	}
}
