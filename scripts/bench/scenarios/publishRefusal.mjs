// Scenario 6, publish refusal: what the External Data Provider spends on requests it refuses. A GET
// without the bearer token its readers need (401) and forged publishes to its publish webhook (401;
// no address is ever cut off there, so that forgeries cannot starve a run publishing from the same
// address); the built-in side is a Webhook node with Header Auth refusing a GET without the header.
import { servedItems } from '../datasets.mjs';
import { LOAD, measure, poolSource } from '../load.mjs';
import { GUARDED_PROVIDER, IDS, PATHS, SERVED_COUNT } from '../workflows.mjs';

import { publishWebhookPath, signedPublish } from '../../../test/e2e/fixtures.mjs';

import { publishServedItems } from './serving.mjs';

/** A key that is not the provider's: everything else in the forged publishes is what a reader has. */
const FORGER_PUBLISH_KEY = 'a forger guessing the publish key 0123456789';

/** Far above any rate measured here, so a row never runs out of fresh addresses. */
const MAX_REQUESTS_PER_SECOND = 5000;
const ADDRESSES_PER_ROW = 2 ** 20;

/** Address number `index` of 10.0.0.0/8, written as n8n reads it from X-Forwarded-For. */
function privateAddress(index) {
	return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

/**
 * `request` once from each address of row `row`, as many as the row can send: every address is
 * refused once at most, so that each refusal is logged (the log summarises an address's repeats).
 */
function fromFreshAddresses(request, row) {
	const count = Math.ceil((LOAD.warmupSeconds + LOAD.durationSeconds) * MAX_REQUESTS_PER_SECOND);
	if (count > ADDRESSES_PER_ROW) throw new Error('the load lasts too long for one address range');
	return Array.from({ length: count }, (_, index) => ({
		body: request.body,
		headers: {
			...request.headers,
			'x-forwarded-for': privateAddress(row * ADDRESSES_PER_ROW + index),
		},
	}));
}

/** The provider node as n8n stored it, with the path n8n registered for its publish webhook. */
async function guardedProvider(n8n) {
	const [{ nodes }] = await n8n.query('SELECT nodes FROM workflow_entity WHERE id = ?', [
		IDS.guardedData,
	]);
	const node = JSON.parse(nodes).find(({ name }) => name === GUARDED_PROVIDER);
	const publishPath = await publishWebhookPath(n8n, IDS.guardedData, GUARDED_PROVIDER);
	return { nodeId: node.id, publishPath };
}

/**
 * A publish of the served dataset as a run sends it, signed with a key derived from the wrong key;
 * `withoutKeyId` makes the webhook check its signature.
 */
function forgedPublish(nodeId, withoutKeyId = false) {
	return signedPublish({
		publishKey: FORGER_PUBLISH_KEY,
		workflowId: IDS.guardedData,
		nodeId,
		items: servedItems(SERVED_COUNT),
		maxBytes: 5_000_000,
		id: 'pub_bench_forged',
		withoutKeyId,
	});
}

const refused = (status, error) => ({ status, bodyIncludes: `"error":"${error}"` });

export async function publishRefusal(n8n) {
	// Refused as they would be in use: by a provider holding a dataset.
	await publishServedItems(n8n, PATHS.guardedDataFeed);
	const { nodeId, publishPath } = await guardedProvider(n8n);
	const dataUrl = n8n.webhookUrl(PATHS.guardedData);
	const publishUrl = n8n.webhookUrl(publishPath);
	const anonymous = { headers: {} };

	const refusedGet = await n8n.counted(IDS.guardedData, () =>
		measure({
			url: dataUrl,
			source: poolSource(fromFreshAddresses(anonymous, 0), { cycle: false }),
			expect: refused(401, 'unauthorized'),
		}),
	);
	// Signed when its row starts: a signature older than five minutes is refused by an earlier check.
	const keyChanged = await n8n.counted(IDS.guardedData, () =>
		measure({
			url: publishUrl,
			method: 'POST',
			source: poolSource(fromFreshAddresses(forgedPublish(nodeId), 1), { cycle: false }),
			expect: refused(401, 'publish_key_changed'),
		}),
	);
	const signatureMismatch = await n8n.counted(IDS.guardedData, () =>
		measure({
			url: publishUrl,
			method: 'POST',
			source: poolSource(fromFreshAddresses(forgedPublish(nodeId, true), 2), {
				cycle: false,
			}),
			expect: refused(401, 'signature_mismatch'),
		}),
	);
	const builtin = await n8n.counted(IDS.webhookGuarded, () =>
		measure({
			url: n8n.webhookUrl(PATHS.webhookGuarded),
			source: poolSource(fromFreshAddresses(anonymous, 3), { cycle: false }),
			expect: { status: 403, bodyIncludes: 'Authorization data is wrong!' },
		}),
	);
	return {
		ours: { refusedGet, keyChanged, signatureMismatch },
		builtin,
		publishBodyBytes: Buffer.byteLength(forgedPublish(nodeId).body),
	};
}
