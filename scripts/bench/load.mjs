// Load generation with autocannon on loopback: a short warm-up, then a timed measurement.
// Request bodies and headers come from pre-built pools, so building them costs nothing here.
import autocannon from 'autocannon';

import { monotonicMicros } from './profile.mjs';

export const LOAD = {
	connections: 10,
	warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
	durationSeconds: Number(process.env.BENCH_SECONDS ?? 8),
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
export async function measure({ url, method = 'GET', headers = {}, source, expect }) {
	if (expect.bodyIncludes && !source) throw new Error('a body check needs a request source');
	const setupRequest = (request) => {
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
		duration: LOAD.durationSeconds,
		warmup: { connections: LOAD.connections, duration: LOAD.warmupSeconds },
		...(source ? { requests: [{ setupRequest, onResponse }] } : {}),
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
		seconds: result.duration,
		window: {
			startMicros: monotonicMicros(result.start),
			endMicros: monotonicMicros(result.finish),
		},
		problems,
	};
}
