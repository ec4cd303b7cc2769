import { createHash } from 'node:crypto';

export type PublishMode = 'append' | 'replace' | 'singleObject';

/** Replace and Append publish a list of items; Single Object publishes one object. */
export type DatasetShape = 'list' | 'object';

export type JsonObject = Record<string, unknown>;

/** Append keeps at most this many items whatever the node says, so static data stays bounded. */
export const APPEND_HARD_CAP = 10_000;

/** n8n loads all of a workflow's static data on every GET; beyond this, that alone gets slow. */
export const MAX_DATASET_BYTES = 16 * 1024 * 1024;

/**
 * Data nested deeper than this (the published list or object is level 1) is not published. Serialising JSON recurses once per level and
 * overflows the call stack some thousands of levels down, at a depth that depends on the stack in
 * use: in the publish webhook that failed the request with a 500 and a failed execution. 1,000
 * levels (Jackson's default limit) leave a wide margin and hold any real data.
 */
export const MAX_NESTING_DEPTH = 1000;

/**
 * What a run published, as kept in the node's static data.
 *
 * The data is stored as JSON text rather than as objects: n8n loads static data on every GET and
 * wraps each nested object in a change-tracking proxy, so thousands of stored objects would cost
 * every request. Text is one string, and a GET for the whole list sends it as it is.
 */
export interface PublishedDataset {
	shape: DatasetShape;
	json: string;
	/** Items in the data (Single Object: 1, or 0 while empty). */
	total: number;
	/** Counts changes of the data; 0 before anything was published. */
	version: number;
	/** ISO time the data last changed; null before anything was published. */
	lastUpdated: string | null;
	/** Hash of `json`, taken once per publish so the ETag stays unique even if the version restarts. */
	digest: string;
}

export interface PublishSettings {
	mode: PublishMode;
	/** Append only: how many of the newest items to keep. */
	keepNewest: number;
	maxBytes: number;
}

export type PublishOutcome =
	| { kind: 'published' | 'unchanged'; dataset: PublishedDataset; bytes: number }
	| { kind: 'tooLarge'; bytes: number; maxBytes: number }
	| { kind: 'tooDeep'; maxDepth: number };

/** What GET serves before the first production run. */
export function emptyDataset(shape: DatasetShape): PublishedDataset {
	return {
		shape,
		json: shape === 'list' ? '[]' : '{}',
		total: 0,
		version: 0,
		lastUpdated: null,
		digest: `empty-${shape}`,
	};
}

/** Why the settings cannot be used, or undefined. The editor enforces the ranges, expressions can bypass them. */
export function publishSettingsProblem(settings: PublishSettings): string | undefined {
	const { keepNewest, maxBytes } = settings;
	if (
		settings.mode === 'append' &&
		!(Number.isInteger(keepNewest) && keepNewest >= 1 && keepNewest <= APPEND_HARD_CAP)
	) {
		return `Keep Newest Items must be a whole number from 1 to ${APPEND_HARD_CAP}, not ${keepNewest}.`;
	}
	if (!(maxBytes > 0 && maxBytes <= MAX_DATASET_BYTES)) {
		return `Max Dataset Size must be above 0 and at most ${formatSize(MAX_DATASET_BYTES)}, not ${maxBytes} bytes.`;
	}
	return undefined;
}

/**
 * The dataset after a run delivered `items`. Data identical to what is published keeps its version
 * and time, so clients' cached copies stay valid; data over the size or nesting limit is refused
 * whole. Never throws on the items' content.
 */
export function publishDataset(
	previous: PublishedDataset | undefined,
	items: JsonObject[],
	settings: PublishSettings,
	now: Date,
): PublishOutcome {
	const { shape, data, total } = nextData(previous, items, settings);
	if (nestsDeeperThan(data, MAX_NESTING_DEPTH))
		return { kind: 'tooDeep', maxDepth: MAX_NESTING_DEPTH };
	const json = JSON.stringify(data);
	const bytes = Buffer.byteLength(json, 'utf8');
	if (bytes > settings.maxBytes) return { kind: 'tooLarge', bytes, maxBytes: settings.maxBytes };
	const digest = digestOf(json);
	if (previous?.digest === digest) return { kind: 'unchanged', dataset: previous, bytes };
	const version = (previous?.version ?? 0) + 1;
	return {
		kind: 'published',
		bytes,
		dataset: { shape, json, total, version, lastUpdated: now.toISOString(), digest },
	};
}

/**
 * Whether arrays and objects nest more than `maxDepth` levels deep in `value` (`value` itself is
 * level 1). Walks with its own stack, so no depth can overflow the call stack here.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
	const pending: Array<{ container: object; depth: number }> = [];
	if (isContainer(value)) pending.push({ container: value, depth: 1 });
	for (let next = pending.pop(); next; next = pending.pop()) {
		if (next.depth > maxDepth) return true;
		for (const child of Object.values(next.container)) {
			if (isContainer(child)) pending.push({ container: child, depth: next.depth + 1 });
		}
	}
	return false;
}

function isContainer(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}

function nextData(
	previous: PublishedDataset | undefined,
	items: JsonObject[],
	{ mode, keepNewest }: PublishSettings,
): { shape: DatasetShape; data: unknown; total: number } {
	if (mode === 'singleObject') {
		return { shape: 'object', data: items[0] ?? {}, total: items.length > 0 ? 1 : 0 };
	}
	const kept =
		mode === 'append' ? [...publishedItems(previous), ...items].slice(-keepNewest) : items;
	return { shape: 'list', data: kept, total: kept.length };
}

function publishedItems(previous: PublishedDataset | undefined): JsonObject[] {
	return previous?.shape === 'list' ? (JSON.parse(previous.json) as JsonObject[]) : [];
}

function digestOf(json: string): string {
	return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

/** The dataset kept in static data, if it looks like one this node wrote. */
export function asPublishedDataset(value: unknown): PublishedDataset | undefined {
	const candidate = value as Partial<PublishedDataset> | undefined;
	return typeof candidate?.json === 'string' && typeof candidate.digest === 'string'
		? (value as PublishedDataset)
		: undefined;
}

/** Why data nested too deeply was not published. */
export function tooDeepMessage(maxDepth: number): string {
	return `The data nests arrays and objects more than ${maxDepth} levels deep, so it was not published`;
}

/** Why data over the size limit was not published. */
export function tooLargeMessage(bytes: number, maxBytes: number): string {
	return `The data is ${formatSize(bytes)} as JSON, over the ${formatSize(maxBytes)} limit, so it was not published`;
}

/** Sizes as people read them: 512 bytes, 3.2 KB, 5.0 MB (binary multiples, as the size option uses). */
export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
