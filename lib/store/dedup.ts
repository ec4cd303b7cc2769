/**
 * Remembers accepted event ids for a retention window, with a bounded count.
 * Ids are kept as object keys in acceptance order, so the oldest are pruned first
 * without a scan. A prefix keeps numeric-looking ids from being reordered by JavaScript.
 */
export type SeenIds = Record<string, number>;

export interface DedupOptions {
	retentionSeconds: number;
	maxEntries: number;
}

const KEY_PREFIX = '#';

function prune(seen: SeenIds, now: number, options: DedupOptions): void {
	let excess = Object.keys(seen).length - options.maxEntries;
	for (const key in seen) {
		if (excess <= 0 && now - seen[key] < options.retentionSeconds) break;
		delete seen[key];
		excess--;
	}
}

/** True when the id was accepted within the retention window. */
export function wasSeen(seen: SeenIds, id: string, now: number, options: DedupOptions): boolean {
	const acceptedAt = seen[KEY_PREFIX + id];
	return acceptedAt !== undefined && now - acceptedAt < options.retentionSeconds;
}

/** Records an accepted id and drops what fell out of the window or over the count. */
export function remember(seen: SeenIds, id: string, now: number, options: DedupOptions): void {
	delete seen[KEY_PREFIX + id];
	seen[KEY_PREFIX + id] = now;
	prune(seen, now, options);
}

// Accepted ids of this process, per trigger node: closes the gap between requests that
// arrive together, because n8n loads and saves the persisted store per request.
const processMemory = new Map<string, SeenIds>();

export function processSeenIds(scope: string): SeenIds {
	let seen = processMemory.get(scope);
	if (!seen) {
		seen = {};
		processMemory.set(scope, seen);
	}
	return seen;
}

/**
 * Adds the still-remembered ids of `source` that `target` lacks: how this process learns what
 * other processes, or its own life before a restart, accepted.
 */
export function absorb(target: SeenIds, source: SeenIds, now: number, options: DedupOptions): void {
	for (const key in source) {
		if (!(key in target) && now - source[key] < options.retentionSeconds) target[key] = source[key];
	}
	prune(target, now, options);
}

/**
 * Returns true for a duplicate; otherwise records the id. Check and record happen with no await
 * in between, so concurrent requests in one process cannot both pass.
 */
export function checkAndRemember(
	seen: SeenIds,
	id: string,
	now: number,
	options: DedupOptions,
): boolean {
	if (wasSeen(seen, id, now, options)) return true;
	remember(seen, id, now, options);
	return false;
}
