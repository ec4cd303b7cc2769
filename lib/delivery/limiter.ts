export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Runs at most `limit` tasks at a time. Tasks start in the order they were handed in: a finishing
 * task passes its slot straight to the longest-waiting one, so a newcomer can never jump the queue.
 */
export function createLimiter(limit: number): Limiter {
	if (!Number.isInteger(limit) || limit < 1) {
		throw new RangeError(
			`The concurrency limit must be a whole number of at least 1, not ${limit}.`,
		);
	}
	let running = 0;
	const waiting: Array<() => void> = [];

	const acquire = async (): Promise<void> => {
		if (running < limit) {
			running += 1;
			return;
		}
		await new Promise<void>((resolve) => waiting.push(resolve));
	};
	const release = (): void => {
		const next = waiting.shift();
		if (next) next();
		else running -= 1;
	};

	return async (task) => {
		await acquire();
		try {
			return await task();
		} finally {
			release();
		}
	};
}
