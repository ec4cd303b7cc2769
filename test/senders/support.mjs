// The trigger's verification and ingest as the built package runs them, configured from the same
// node parameters a user sets, for the sender suites: the senders' own libraries sign or verify
// the requests, and this decides on them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dist = (module) => require(`../../dist/lib/${module}.js`);

const { handleIngest } = dist('ingest/handleIngest');
const { emptyLedger, settle } = dist('store/dedup');
const { schemeFromParameters } = dist('signing/fromParameters');
const { eventSources, schemeTolerance } = dist('signing/schemes');
const { signWebhook } = dist('signing/sign');

export { signWebhook, schemeFromParameters };

/** The node version new trigger and Notify nodes get. */
export const NODE_VERSION = 2;

/**
 * A receiver configured as the trigger is with these Verification parameters (`scheme`, and the
 * Custom HMAC fields), these Options (`eventTypeHeader`, `eventIdHeader`, `eventTypeField`,
 * `eventIdField`, `toleranceSeconds`) and, for senders that sign the URL, this Public URL. Each
 * call of the returned function is one request (`method` POST unless given; `receivedUrl`, the
 * URL n8n saw, stands in when there is no Public URL), answered as the trigger answers it; the
 * duplicate record lives as long as the receiver, and a run counts as stored at once.
 */
export function receiver(
	parameters,
	secrets,
	{ options = {}, nodeVersion = NODE_VERSION, publicUrl } = {},
) {
	const scheme = schemeFromParameters(parameters, nodeVersion);
	const sources = eventSources(scheme, {
		typeHeader: options.eventTypeHeader,
		idHeader: options.eventIdHeader,
		typeField: options.eventTypeField,
		idField: options.eventIdField,
	});
	const config = {
		verification: scheme
			? { scheme, secrets, toleranceSeconds: schemeTolerance(scheme, options.toleranceSeconds) }
			: null,
		maxBodyBytes: 1024 * 1024,
		normalize: { ...sources, strictFlowEvents: false },
		filter: { types: [], patterns: [] },
		dedup: { retentionSeconds: 86400, maxEntries: 5000 },
	};
	const ledger = emptyLedger();
	let generated = 0;
	return (
		{ headers: requestHeaders, body, method = 'POST', receivedUrl },
		now = Math.floor(Date.now() / 1000),
	) => {
		const outcome = handleIngest(
			{
				headers: lowerCased(requestHeaders),
				rawBody: Buffer.from(body),
				method,
				url: publicUrl ?? receivedUrl,
			},
			config,
			{ now, ledger, newId: () => `generated-${++generated}` },
		);
		if (outcome.kind === 'accepted') {
			for (const { claimedKey } of outcome.events) {
				if (claimedKey) settle(ledger, claimedKey, true, now, config.dedup);
			}
		}
		return outcome;
	};
}

/** Headers as Node's HTTP server hands them to n8n and to the senders' verifiers: names in lower case. */
export function lowerCased(headers) {
	return Object.fromEntries(
		Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
	);
}
