// What the load generator sends: flow events, signed ahead of time by the `standardwebhooks`
// reference library (as a real sender would sign them), so signing is never in the hot path.
import { randomUUID } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

import { SIGNING_SECRET } from '../../test/e2e/fixtures.mjs';

const genuineSigner = new Webhook(SIGNING_SECRET);
const forgerSigner = new Webhook(
	'whsec_' + Buffer.from('a forger guessing the secret, 32').toString('base64'),
);

function flowEvent(type) {
	return {
		id: `evt_${randomUUID()}`,
		event: type,
		session_id: 'sess_bench',
		created: Math.floor(Date.now() / 1000),
		success: true,
		flow_name: 'Benchmark',
		metadata: { source: 'bench' },
		data: { step: 1 },
	};
}

/** One POST request as autocannon sends it: a JSON body and the Standard Webhooks headers over it. */
function signedRequest(event, signer = genuineSigner, id = `msg_${randomUUID()}`) {
	const body = JSON.stringify(event);
	const at = new Date();
	return {
		body,
		headers: {
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
			'webhook-signature': signer.sign(id, at, body),
		},
	};
}

/** `count` genuine events of a type, each with its own event id. */
export function genuineRequests(count, type = 'flow.start') {
	return Array.from({ length: count }, () => signedRequest(flowEvent(type)));
}

/** Well-formed requests signed with the wrong secret: the trigger answers 401. */
export function forgedRequests(count) {
	return Array.from({ length: count }, () => signedRequest(flowEvent('flow.start'), forgerSigner));
}

/** Genuine events carrying the given webhook ids (ids a trigger already remembers: duplicates). */
export function requestsWithIds(ids) {
	return ids.map((id) => signedRequest(flowEvent('flow.start'), genuineSigner, id));
}
