/** Event type patterns: exact names, or `*` matching any run of characters (`flow.*`, `*.end`). */
export function matchesPattern(eventType: string, pattern: string): boolean {
	if (!pattern.includes('*')) return eventType === pattern;
	const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(`^${parts.join('.*')}$`).test(eventType);
}

/** Splits a comma- or newline-separated list of patterns, dropping blanks. */
export function parsePatternList(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((pattern) => pattern.trim())
		.filter((pattern) => pattern !== '');
}

export interface EventFilter {
	/** Exact types chosen from the list (also the outputs by event type). */
	types: string[];
	/** Extra exact types or wildcard patterns. */
	patterns: string[];
}

/** An empty filter accepts everything. */
export function isAccepted(eventType: string, filter: EventFilter): boolean {
	if (filter.types.length === 0 && filter.patterns.length === 0) return true;
	return (
		filter.types.includes(eventType) ||
		filter.patterns.some((pattern) => matchesPattern(eventType, pattern))
	);
}

/** The output of an event with one output per event type: its type's own, else the trailing `other`. */
export function outputIndexByEventType(eventType: string, outputEventTypes: string[]): number {
	const index = outputEventTypes.indexOf(eventType);
	return index >= 0 ? index : outputEventTypes.length;
}
