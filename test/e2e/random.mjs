// Seeded randomness for tests that generate inputs or pick moments: the seed is printed, and a
// failing run is replayed with TEST_SEED=<seed>.

/** A pseudo-random number generator (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = state;
		mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

/** The seed of this run: TEST_SEED when given, otherwise a new one; printed either way. */
export function testSeed(label) {
	const seed = process.env.TEST_SEED
		? Number(process.env.TEST_SEED)
		: Math.floor(Math.random() * 2 ** 32);
	console.log(`# ${label}: seed ${seed} (replay with TEST_SEED=${seed})`);
	return seed;
}

/** An integer in [min, max] from `random`. */
export function between(random, min, max) {
	return min + Math.floor(random() * (max - min + 1));
}
