import { createBatchWriter } from '../../../../lib/store/batchWriter';

/** Lets a continuation that was just unblocked run (a few promise steps). */
async function promiseSteps(): Promise<void> {
	for (let step = 0; step < 10; step++) await Promise.resolve();
}

/** A write that stays open until the test lets it finish. */
function controlledStore() {
	const writes: number[][] = [];
	const finishers: Array<() => void> = [];
	const write = async (batch: number[]) => {
		writes.push(batch);
		await new Promise<void>((resolve) => finishers.push(resolve));
	};
	const finishNext = async () => {
		finishers.shift()?.();
		await promiseSteps();
	};
	return { writes, write, finishNext };
}

describe('createBatchWriter', () => {
	it('writes the first item at once, and what arrives meanwhile together in one next write', async () => {
		const store = controlledStore();
		const writer = createBatchWriter(store.write);
		writer.add(1);
		writer.add(2);
		writer.add(3);
		expect(store.writes).toEqual([[1]]);
		await store.finishNext();
		expect(store.writes).toEqual([[1], [2, 3]]);
		await store.finishNext();
		expect(store.writes).toHaveLength(2);
	});

	it('flush waits for every item added so far, and then for nothing', async () => {
		const store = controlledStore();
		const writer = createBatchWriter(store.write);
		writer.add(1);
		writer.add(2);
		let flushed = false;
		const flushing = writer.flush().then(() => (flushed = true));
		await store.finishNext();
		expect(flushed).toBe(false);
		await store.finishNext();
		await flushing;
		expect(store.writes).toEqual([[1], [2]]);
		await expect(writer.flush()).resolves.toBeUndefined();
		writer.add(4);
		expect(store.writes).toEqual([[1], [2], [4]]);
	});

	describe('with spacing', () => {
		beforeEach(() => jest.useFakeTimers({ now: 10_000 }));
		afterEach(() => jest.useRealTimers());

		/** A timer that records what it was asked to wait and ends when the test says. */
		function controlledTimer() {
			const waits: number[] = [];
			let end = () => {};
			const wait = async (ms: number) => {
				waits.push(ms);
				await new Promise<void>((resolve) => (end = resolve));
			};
			return { waits, wait, end: () => end() };
		}

		it('writes at once after a quiet spell, and otherwise no sooner than the spacing after the last write began', async () => {
			const store = controlledStore();
			const timer = controlledTimer();
			const writer = createBatchWriter(store.write, { spacingMs: 1000, wait: timer.wait });
			writer.add(1);
			expect(store.writes).toEqual([[1]]);
			writer.add(2);
			jest.setSystemTime(10_200);
			await store.finishNext();
			expect(timer.waits).toEqual([800]);
			writer.add(3);
			expect(store.writes).toEqual([[1]]);

			jest.setSystemTime(11_000);
			timer.end();
			await promiseSteps();
			expect(store.writes).toEqual([[1], [2, 3]]);
			await store.finishNext();

			jest.setSystemTime(15_000);
			writer.add(4);
			expect(store.writes).toEqual([[1], [2, 3], [4]]);
			expect(timer.waits).toEqual([800]);
		});
	});
});
