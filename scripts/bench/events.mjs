// What the load generator sends: flow events, signed ahead of time by the `standardwebhooks`
// reference library (as a real sender would sign them), so signing is never in the hot path.
import { flowEvent, signedRequest } from '../../test/e2e/fixtures.mjs';

const FORGED_SECRET = 'whsec_' + Buffer.from('a forger guessing the secret, 32').toString('base64');

/** `count` genuine events of a type, each with its own event id. */
export function genuineRequests(count, type = 'flow.start') {
	return Array.from({ length: count }, () => signedRequest(flowEvent({ event: type })));
}

/** Well-formed requests signed with the wrong secret: the trigger answers 401. */
export function forgedRequests(count) {
	return Array.from({ length: count }, () => signedRequest(flowEvent(), { secret: FORGED_SECRET }));
}

/** Genuine events carrying the given webhook ids (ids a trigger already remembers: duplicates). */
export function requestsWithIds(ids) {
	return ids.map((id) => signedRequest(flowEvent(), { id }));
}
