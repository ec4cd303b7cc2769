import { createLimiter } from '../../../../lib/delivery/limiter';

/** A task that finishes only when the test says so, recording when it started. */
function controllable(started: string[], name: string) {
	let finish!: (value: string) => void;
	let fail!: (error: Error) => void;
	const done = new Promise<string>((resolve, reject) => {
		finish = resolve;
		fail = reject;
	});
	const task = async () => {
		started.push(name);
		return await done;
	};
	return { task, finish: () => finish(name), fail: (error: Error) => fail(error) };
}

const settle = async () => {
	for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('createLimiter', () => {
	it('runs no more than the limit at once and starts the rest as slots free up', async () => {
		const limit = createLimiter(2);
		const started: string[] = [];
		const tasks = ['a', 'b', 'c', 'd'].map((name) => controllable(started, name));
		const results = tasks.map(({ task }) => limit(task));
		await settle();
		expect(started).toEqual(['a', 'b']);
		tasks[1].finish();
		await settle();
		expect(started).toEqual(['a', 'b', 'c']);
		tasks[0].finish();
		tasks[2].finish();
		await settle();
		expect(started).toEqual(['a', 'b', 'c', 'd']);
		tasks[3].finish();
		await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
	});

	it('queues a task handed in later behind those already waiting', async () => {
		const limit = createLimiter(1);
		const started: string[] = [];
		const first = controllable(started, 'first');
		const second = controllable(started, 'second');
		const third = controllable(started, 'third');
		const running = [limit(first.task), limit(second.task)];
		await settle();
		first.finish();
		running.push(limit(third.task));
		await settle();
		expect(started).toEqual(['first', 'second']);
		second.finish();
		await settle();
		third.finish();
		await Promise.all(running);
		expect(started).toEqual(['first', 'second', 'third']);
	});

	it('with a limit of 1, runs tasks strictly one after another', async () => {
		const limit = createLimiter(1);
		let running = 0;
		let mostAtOnce = 0;
		const task = async () => {
			running += 1;
			mostAtOnce = Math.max(mostAtOnce, running);
			await settle();
			running -= 1;
		};
		await Promise.all(Array.from({ length: 20 }, () => limit(task)));
		expect(mostAtOnce).toBe(1);
	});

	it('keeps the maximum busy under many short tasks', async () => {
		const limit = createLimiter(10);
		let running = 0;
		let mostAtOnce = 0;
		const task = async (value: number) => {
			running += 1;
			mostAtOnce = Math.max(mostAtOnce, running);
			await settle();
			running -= 1;
			return value * 2;
		};
		const results = await Promise.all(
			Array.from({ length: 500 }, (_, value) => limit(() => task(value))),
		);
		expect(mostAtOnce).toBe(10);
		expect(results).toEqual(Array.from({ length: 500 }, (_, value) => value * 2));
	});

	it('passes a failure to its caller and frees the slot for the next task', async () => {
		const limit = createLimiter(1);
		const started: string[] = [];
		const failing = controllable(started, 'failing');
		const next = controllable(started, 'next');
		const failed = limit(failing.task);
		const following = limit(next.task);
		failing.fail(new Error('receiver exploded'));
		await expect(failed).rejects.toThrow('receiver exploded');
		next.finish();
		await expect(following).resolves.toBe('next');
	});

	it('frees the slot when a task throws before returning a promise', async () => {
		const limit = createLimiter(1);
		await expect(
			limit(() => {
				throw new Error('synchronous');
			}),
		).rejects.toThrow('synchronous');
		await expect(limit(async () => 'after')).resolves.toBe('after');
	});

	it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %p', (value) => {
		expect(() => createLimiter(value)).toThrow(RangeError);
	});
});
