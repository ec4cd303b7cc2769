// Senders of signed events as the crash tests need them: many at once, a kill in the middle of a
// burst, and redelivery until acknowledged, as a sender's retries do.
import assert from 'node:assert/strict';

import { signedRequest } from './fixtures.mjs';
import { sleep } from './harness.mjs';

export const SENDERS = 16;

export const acknowledged = (status) => status >= 200 && status < 300;

/** One signed delivery of `event` to `url` (the event id is the message id); the status, or null without an answer. */
export async function deliverSigned(url, event) {
	const { body, headers } = signedRequest(event, { id: event.id });
	try {
		const response = await fetch(url, { method: 'POST', headers, body });
		await response.arrayBuffer();
		return response.status;
	} catch {
		return null;
	}
}

/** Runs `send(event, index)` for every event, SENDERS at a time, as concurrent senders do. */
export async function fromConcurrentSenders(events, send) {
	let next = 0;
	async function sender() {
		while (next < events.length) {
			const index = next++;
			await send(events[index], index);
		}
	}
	await Promise.all(Array.from({ length: SENDERS }, sender));
}

/**
 * Sends `events` with `deliver(event, index)` from concurrent senders and calls `kill()` once
 * `killAfter` of them were answered 2xx; returns each event's status (null: no answer).
 */
export async function burstWithKill(events, { deliver, killAfter, kill }) {
	const statuses = new Map();
	let count = 0;
	let killing;
	await fromConcurrentSenders(events, async (event, index) => {
		const status = await deliver(event, index);
		statuses.set(event.id, status);
		if (acknowledged(status) && ++count === killAfter) killing = kill();
	});
	assert.ok(killing, `the kill was due after ${killAfter} answers, but only ${count} came`);
	await killing;
	return statuses;
}

/** Delivers `event` until it is answered 2xx, as a sender retries after a 409, a 5xx or no answer. */
export async function redeliverUntilAcknowledged(deliver, event, index) {
	for (let attempt = 1; ; attempt++) {
		const status = await deliver(event, index + attempt);
		if (acknowledged(status)) return status;
		assert.ok(attempt < 40, `event ${event.id} still answered ${status} after ${attempt} tries`);
		await sleep(250);
	}
}
