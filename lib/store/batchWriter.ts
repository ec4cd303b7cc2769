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

/**
 * With `spacingMs`, a write starts at least that long after the previous one started (the first
 * at once), so that a busy stream costs at most one write per interval; `wait` is the timer to
 * wait with (n8n's `sleep` in a node).
 */
export interface BatchSpacing {
	spacingMs: number;
	wait: (ms: number) => Promise<void>;
}

/** `write` deals with its own failures: a batch it cannot write is given up, the next ones still go. */
export function createBatchWriter<T>(
	write: (batch: T[]) => Promise<void>,
	spacing?: BatchSpacing,
): BatchWriter<T> {
	let pending: T[] = [];
	let writing: Promise<void> | undefined;
	let lastStart = Number.NEGATIVE_INFINITY;
	const drain = async () => {
		try {
			while (pending.length > 0) {
				const due = spacing ? lastStart + spacing.spacingMs - Date.now() : 0;
				if (due > 0) await spacing?.wait(due);
				const batch = pending;
				pending = [];
				lastStart = Date.now();
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
