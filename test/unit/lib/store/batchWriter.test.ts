import { createBatchWriter } from '../../../../lib/store/batchWriter';

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
		// Lets the finished write's continuation run (a few promise steps).
		for (let step = 0; step < 10; step++) await Promise.resolve();
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
});
