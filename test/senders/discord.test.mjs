// The Discord Interactions preset against Discord's own library (`discord-interactions`), whose
// verifyKey checks the same deliveries. Discord publishes no signer: each test makes an app key
// pair with node:crypto, signs as Discord does, and hands both verifiers the public key as the
// Developer Portal shows it (64 hex characters).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { verifyKey } from 'discord-interactions';

import { discordDelivery as delivery, fixture, senderKeys } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const BODY = fixture('discord-application_command');
const PARAMETERS = { scheme: 'discord' };
// An interaction's type is a number; a command is routed on by its name.
const OPTIONS = { options: { eventTypeField: 'data.name' } };
const app = senderKeys('discord');

async function discordAccepts({ headers, body }, publicKey = app.shown) {
	const sent = lowerCased(headers);
	return verifyKey(body, sent['x-signature-ed25519'], sent['x-signature-timestamp'], publicKey);
}

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

describe('Discord Interactions, judged by discord-interactions', () => {
	it('accepts an interaction verifyKey accepts, named by its id and typed by the command', async () => {
		const sent = delivery(app.privateKey);
		assert.equal(await discordAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [app.shown], OPTIONS)(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual([event.event, event.id], ['deploy', '1317305871234567890']);
		assert.equal(body.member.user.global_name, 'Zoë');
	});

	it('answers the same interaction sent again as a duplicate', () => {
		const receive = receiver(PARAMETERS, [app.shown], OPTIONS);
		assert.equal(receive(delivery(app.privateKey)).kind, 'accepted');
		assert.equal(receive(delivery(app.privateKey)).kind, 'duplicate');
	});

	it("accepts an interaction signed with the previous key (the credential's Previous Secret)", async () => {
		const renewed = senderKeys('discord');
		const sent = delivery(app.privateKey);
		assert.equal(await discordAccepts(sent, app.shown), true);
		const outcome = receiver(PARAMETERS, [renewed.shown, app.shown], OPTIONS)(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
	});

	const otherApp = senderKeys('discord');
	const signed = delivery(app.privateKey);
	for (const [name, sent] of [
		['a tampered body', { ...signed, body: BODY.replace('staging', 'production') }],
		['a signature by another app', delivery(otherApp.privateKey)],
		[
			'another timestamp than the signed one',
			{
				...signed,
				headers: {
					...signed.headers,
					'X-Signature-Timestamp': String(Number(signed.headers['X-Signature-Timestamp']) + 1),
				},
			},
		],
		// Discord checks an endpoint by sending it requests with invalid signatures: they must get 401.
		[
			"Discord's probe with a random signature",
			{ ...signed, headers: { ...signed.headers, 'X-Signature-Ed25519': 'ab'.repeat(64) } },
		],
	]) {
		it(`refuses ${name} with 401, as verifyKey does`, async () => {
			assert.equal(await discordAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [app.shown], OPTIONS)(sent);
			assert.deepEqual(refusal(outcome), [401, 'signature_mismatch']);
		});
	}

	it('refuses a signature that is not 64 bytes of hex, as verifyKey does', async () => {
		const sent = { ...signed, headers: { ...signed.headers, 'X-Signature-Ed25519': 'not-hex' } };
		assert.equal(await discordAccepts(sent), false);
		const outcome = receiver(PARAMETERS, [app.shown], OPTIONS)(sent);
		assert.deepEqual(refusal(outcome), [401, 'malformed_signature']);
	});

	it('refuses a stale timestamp, which verifyKey leaves to the receiver', async () => {
		const sent = delivery(app.privateKey, { timestamp: Math.floor(Date.now() / 1000) - 600 });
		// The signature itself is genuine: discord-interactions checks no time.
		assert.equal(await discordAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [app.shown], OPTIONS)(sent);
		assert.deepEqual(refusal(outcome), [401, 'timestamp_out_of_tolerance']);
	});

	for (const [header, reason] of [
		['X-Signature-Ed25519', 'missing_signature'],
		['X-Signature-Timestamp', 'missing_timestamp'],
	]) {
		it(`refuses an interaction without ${header}, as verifyKey does`, async () => {
			const headers = { ...signed.headers };
			delete headers[header];
			const sent = { ...signed, headers };
			assert.equal(await discordAccepts(sent), false);
			assert.deepEqual(refusal(receiver(PARAMETERS, [app.shown], OPTIONS)(sent)), [401, reason]);
		});
	}
});
