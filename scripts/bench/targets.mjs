// The targets of the issue, checked against one run's results. A target whose scenario did not
// run is listed as not measured.

/** Rejection rows of the trigger, as named in the results and in the report. */
export const REJECTION_KINDS = {
	forged: 'forged events',
	duplicate: 'duplicate events',
	filtered: 'filtered events',
	duplicateRemembering: 'duplicates, 5,000 ids remembered',
	forgedSlack: 'forged Slack deliveries (Slack preset)',
	forgedDiscord: 'forged Discord interactions (Discord preset, Ed25519)',
};

/** The ingest row of a community trigger that checks nothing (floor-node/FloorTrigger.node.js). */
export const FLOOR_ROW = 'floor: a community trigger with a credential that checks nothing';
/** The ingest row of the built-in Webhook node requiring a header (Header Auth). */
export const AUTHENTICATED_BUILTIN_ROW = 'built-in Webhook with Header Auth';

/** Ingest is held to the built-in Webhook node, or under the default engine to the floor n8n puts under every community trigger. */
const INGEST_SHARE = 0.95;

/** Refused publishes of the publish refusal scenario, each held to the cost of a refused GET. */
export const PUBLISH_REFUSAL_KINDS = {
	keyChanged: 'forged publish, key id of another key (401 publish_key_changed)',
	signatureMismatch: 'forged publish, signature checked (401 signature_mismatch)',
};
/** The refused GET of the same provider. */
export const REFUSED_GET = 'GET without the bearer token (401 unauthorized)';

const TARGETS = [
	...Object.entries({ ours: '', oursRemembering: ' (5,000 ids remembered)' }).map(
		([row, note]) => ({
			scenario: 'ingest',
			target: (engine) =>
				`Flow Webhook Trigger${note} ≥ ${INGEST_SHARE}× ${engine === 'vm' ? 'the floor (a community trigger with a credential that checks nothing)' : 'built-in Webhook'} throughput`,
			value: (result, engine) =>
				result[row].requestsPerSecond /
				result[engine === 'vm' ? 'floor' : 'builtin'].requestsPerSecond,
			met: (ratio) => ratio >= INGEST_SHARE,
			format: (ratio) => `${ratio.toFixed(2)}×`,
		}),
	),
	...Object.entries(REJECTION_KINDS).map(([kind, label]) => ({
		scenario: 'rejection',
		target: `${label}: trigger ≥ 3× built-in Webhook throughput`,
		value: ({ ours, builtin }) => ours[kind].requestsPerSecond / builtin.requestsPerSecond,
		met: (ratio) => ratio >= 3,
		format: (ratio) => `${ratio.toFixed(2)}×`,
	})),
	{
		scenario: 'rejection',
		target: 'no execution recorded for rejected events (counted in the database)',
		value: ({ ours }) =>
			Object.keys(REJECTION_KINDS).reduce((sum, kind) => sum + ours[kind].executions, 0),
		met: (executions) => executions === 0,
		format: (executions) => `${executions} executions`,
	},
	{
		scenario: 'serving',
		target: (engine) =>
			`External Data Provider ≥ ${engine === 'legacy' ? 4 : 1}× Webhook + Respond to Webhook throughput`,
		value: ({ ours, builtin }) => ours.requestsPerSecond / builtin.requestsPerSecond,
		met: (ratio, engine) => ratio >= (engine === 'legacy' ? 4 : 1),
		format: (ratio) => `${ratio.toFixed(2)}×`,
	},
	{
		scenario: 'serving',
		target: '304 (If-None-Match) at least as fast as 200',
		value: ({ ours, oursNotModified }) =>
			oursNotModified.requestsPerSecond / ours.requestsPerSecond,
		met: (ratio) => ratio >= 1,
		format: (ratio) => `${ratio.toFixed(2)}× the 200 throughput`,
	},
	{
		scenario: 'delivery',
		target: 'Notify (signing) ≥ 3× faster than HTTP Request defaults',
		value: ({ notify, httpDefault }) => httpDefault.nodeMs / notify.nodeMs,
		met: (speedup) => speedup >= 3,
		format: (speedup) => `${speedup.toFixed(2)}× faster`,
	},
	{
		scenario: 'delivery',
		target: 'Notify within 1.5× of the bare keep-alive loop',
		value: ({ notify, bareLoop }) => notify.nodeMs / bareLoop.ms,
		met: (ratio) => ratio <= 1.5,
		format: (ratio) => `${ratio.toFixed(2)}× the loop's time`,
	},
	{
		scenario: 'delivery',
		target:
			'Notify within 1.5× of the same loop with `fetch`, the keep-alive client community nodes may use',
		value: ({ notify, fetchLoop }) => notify.nodeMs / fetchLoop.ms,
		met: (ratio) => ratio <= 1.5,
		format: (ratio) => `${ratio.toFixed(2)}× the fetch loop's time`,
	},
	...Object.entries(PUBLISH_REFUSAL_KINDS).map(([kind, label]) => ({
		scenario: 'publishRefusal',
		target: `${label} ≥ 1× refused GET throughput`,
		value: ({ ours }) => ours[kind].requestsPerSecond / ours.refusedGet.requestsPerSecond,
		met: (ratio) => ratio >= 1,
		format: (ratio) => `${ratio.toFixed(2)}×`,
	})),
	{
		scenario: 'publishRefusal',
		target: 'no execution recorded for refused GETs and publishes (counted in the database)',
		value: ({ ours }) =>
			Object.values(ours).reduce((sum, measurement) => sum + measurement.executions, 0),
		met: (executions) => executions === 0,
		format: (executions) => `${executions} executions`,
	},
];

/** One row per target and engine: `met` is true, false, or null when the scenario did not run. */
export function checkTargets(byEngine) {
	return Object.entries(byEngine).flatMap(([engine, scenarios]) =>
		TARGETS.filter((target) => target.scenario in scenarios).map((target) => {
			const result = scenarios[target.scenario];
			const label = typeof target.target === 'function' ? target.target(engine) : target.target;
			if (result.error)
				return {
					engine,
					scenario: target.scenario,
					target: label,
					measured: 'not measured',
					met: null,
				};
			const value = target.value(result, engine);
			return {
				engine,
				scenario: target.scenario,
				target: label,
				value,
				measured: target.format(value),
				met: target.met(value, engine),
			};
		}),
	);
}
