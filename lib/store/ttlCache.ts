/**
 * Remembers the result of an async load per key for a short time. Callers asking for a key while
 * its load is under way share that load; a failed load is forgotten at once, so the next caller
 * tries again.
 */
export interface TtlCache<T> {
	get(key: string, load: () => Promise<T>): Promise<T>;
}

export function createTtlCache<T>(ttlMs: number, now: () => number = Date.now): TtlCache<T> {
	const entries = new Map<string, { expiresAt: number; value: Promise<T> }>();
	return {
		async get(key, load) {
			const cached = entries.get(key);
			if (cached && cached.expiresAt > now()) return await cached.value;
			// Expired entries are only replaced, never swept: keys are few (credential ids).
			const value = load();
			entries.set(key, { expiresAt: now() + ttlMs, value });
			value.catch(() => {
				if (entries.get(key)?.value === value) entries.delete(key);
			});
			return await value;
		},
	};
}
