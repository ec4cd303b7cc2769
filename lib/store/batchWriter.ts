/**
 * Writes items as they come, in batches, with one write in flight at a time: whatever arrives
 * during a write goes out together in the next one. For a store whose every write rewrites a whole
 * record, this makes the number of writes follow the store's speed, not the number of items.
 */
export interface BatchWriter<T> {
	add(item: T): void;
	/** Resolves once every item added so far has been written (or its write has failed). */
	flush(): Promise<void>;
}

/** `write` deals with its own failures: a batch it cannot write is given up, the next ones still go. */
export function createBatchWriter<T>(write: (batch: T[]) => Promise<void>): BatchWriter<T> {
	let pending: T[] = [];
	let writing: Promise<void> | undefined;
	const drain = async () => {
		try {
			while (pending.length > 0) {
				const batch = pending;
				pending = [];
				await write(batch);
			}
		} finally {
			writing = undefined;
		}
	};
	return {
		add(item) {
			pending.push(item);
			writing ??= drain();
		},
		flush: async () => await writing,
	};
}
