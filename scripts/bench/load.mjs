// Load generation with autocannon on loopback: a short warm-up, then a timed measurement.
// Request bodies and headers come from pre-built pools, so building them costs nothing here.
import autocannon from 'autocannon';

import { monotonicMicros } from './profile.mjs';

export const LOAD = {
	connections: 10,
	warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
	durationSeconds: Number(process.env.BENCH_SECONDS ?? 8),
	// Rows compared with each other are measured in turns (see measureInTurns).
	rounds: Number(process.env.BENCH_ROUNDS ?? 4),
};

/** Share of responses that must be what the measurement expects; otherwise it did not measure what it says. */
const REQUIRED_SHARE = 0.99;

/**
 * Hands out the pool's requests in order across all connections. With `cycle: false` every request
 * goes out once at most (fresh event ids); running dry is reported rather than reusing one.
 */
export function poolSource(pool, { cycle }) {
	let next = 0;
	const source = {
		exhausted: false,
		take() {
			if (next === pool.length) {
				if (!cycle) source.exhausted = true;
				next = 0;
			}
			return pool[next++];
		},
	};
	return source;
}

/**
 * Runs one measurement. `source` (from `poolSource`) supplies bodies and headers per request;
 * `expect` is the status every response should have and, optionally, text its body must contain.
 */
export async function measure({
	url,
	method = 'GET',
	headers = {},
	source,
	expect,
	seconds = LOAD.durationSeconds,
}) {
	if (expect.bodyIncludes && !source) throw new Error('a body check needs a request source');
	// Counts every request, warm-up included, as the server's CPU time is (`counted`).
	let sent = 0;
	const setupRequest = (request) => {
		sent++;
		if (!source) return request;
		const next = source.take();
		return { ...request, headers: { ...request.headers, ...next.headers }, body: next.body };
	};
	// autocannon checks every body, whatever its status, and reports mismatches without statuses;
	// only a body of the expected status may count as a mismatch, or an answer of another status
	// (a 202, a 409) would be subtracted from the expected ones a second time. autocannon calls
	// `onResponse` and then `verifyBody` for the same response, synchronously.
	let lastStatus;
	const onResponse = (status) => {
		lastStatus = status;
	};
	const result = await autocannon({
		url,
		method,
		headers,
		connections: LOAD.connections,
		duration: seconds,
		warmup: { connections: LOAD.connections, duration: LOAD.warmupSeconds },
		requests: [{ setupRequest, onResponse }],
		verifyBody: expect.bodyIncludes
			? (body) => lastStatus !== expect.status || body.includes(expect.bodyIncludes)
			: undefined,
	});
	const statusCounts = Object.fromEntries(
		Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
	);
	const responses = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
	const expected = (statusCounts[expect.status] ?? 0) - (result.mismatches ?? 0);
	const attempts = responses + result.errors;
	const wanted = `${expect.status}${expect.bodyIncludes ? ` with ${expect.bodyIncludes}` : ''}`;
	const problems = [];
	if (responses === 0) problems.push('no responses');
	else if (expected / attempts < REQUIRED_SHARE) {
		const wrongBodies = expect.bodyIncludes
			? `, ${result.mismatches} × ${expect.status} without ${expect.bodyIncludes}`
			: '';
		problems.push(
			`only ${expected} of ${attempts} requests got ${wanted} (${JSON.stringify(statusCounts)}${wrongBodies}, ${result.errors} errors)`,
		);
	}
	if (source?.exhausted) problems.push('the pool of fresh requests ran dry; make it larger');
	return {
		requestsPerSecond: responses / result.duration,
		latencyP50Ms: result.latency.p50,
		latencyP99Ms: result.latency.p99,
		responses,
		statusCounts,
		// Kept apart so the report can say what else came back (a 409 is never counted as expected).
		expectedAnswer: wanted,
		expectedResponses: expected,
		errors: result.errors,
		requestsSent: sent,
		seconds: result.duration,
		windows: [
			{ startMicros: monotonicMicros(result.start), endMicros: monotonicMicros(result.finish) },
		],
		problems,
	};
}

/**
 * Measures rows that are compared with each other in turns: `LOAD.rounds` rounds, each giving
 * every row its share of the measuring time, every other round in reverse order (A B C, C B A).
 * Measured one after the other, the first row would take all of n8n's warm-up and each row its
 * own stretch of the machine's drift; in turns, they share both. `rows` maps a name to a function
 * of the seconds to measure, resolving to a measurement (`measure`, maybe with `counted`'s fields).
 */
export async function measureInTurns(rows) {
	const names = Object.keys(rows);
	const seconds = LOAD.durationSeconds / LOAD.rounds;
	const rounds = Object.fromEntries(names.map((name) => [name, []]));
	for (let round = 0; round < LOAD.rounds; round++) {
		for (const name of round % 2 === 0 ? names : [...names].reverse())
			rounds[name].push(await rows[name](seconds));
	}
	return Object.fromEntries(names.map((name) => [name, mergeRounds(rounds[name])]));
}

const sum = (values) => values.reduce((total, value) => total + value, 0);

/** One row's rounds as one measurement: totals over all rounds, and each round's throughput. */
function mergeRounds(rounds) {
	const total = (key) => sum(rounds.map((round) => round[key]));
	const statusCounts = {};
	for (const round of rounds)
		for (const [status, count] of Object.entries(round.statusCounts))
			statusCounts[status] = (statusCounts[status] ?? 0) + count;
	const medians = rounds.map((round) => round.latencyP50Ms).sort((a, b) => a - b);
	const counted = 'executions' in rounds[0];
	return {
		...rounds[0],
		requestsPerSecond: total('responses') / total('seconds'),
		roundsPerSecond: rounds.map((round) => round.requestsPerSecond),
		latencyP50Ms: medians[Math.floor((medians.length - 1) / 2)],
		latencyP99Ms: Math.max(...rounds.map((round) => round.latencyP99Ms)),
		responses: total('responses'),
		statusCounts,
		expectedResponses: total('expectedResponses'),
		errors: total('errors'),
		requestsSent: total('requestsSent'),
		seconds: total('seconds'),
		windows: rounds.flatMap((round) => round.windows),
		problems: rounds.flatMap((round) => round.problems),
		...(counted
			? {
					executions: total('executions'),
					drainSeconds: Math.max(...rounds.map((round) => round.drainSeconds)),
					serverCpuMs: total('serverCpuMs'),
				}
			: {}),
	};
}
