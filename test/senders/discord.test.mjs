// The Discord Interactions preset against Discord's own library (`discord-interactions`), whose
// verifyKey checks the same deliveries. Discord publishes no signer: each test makes an app key
// pair with node:crypto, signs as Discord does, and hands both verifiers the public key as the
// Developer Portal shows it (64 hex characters).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { verifyKey, verifyKeyMiddleware } from 'discord-interactions';

import { discordDelivery as delivery, fixture, publicKeySender } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const BODY = fixture('discord-application_command');
const PARAMETERS = { scheme: 'discord' };
// An interaction's type is a number; a command is routed on by its name.
const app = publicKeySender('discord');

async function discordAccepts({ headers, body }, publicKey = app.publicKey) {
	const sent = lowerCased(headers);
	return verifyKey(body, sent['x-signature-ed25519'], sent['x-signature-timestamp'], publicKey);
}

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

/**
 * What discord-interactions' Express middleware answers a delivery: its status and JSON body,
 * or `passed` when it hands the request on to the app as an interaction.
 */
async function middlewareAnswer({ headers, body }, publicKey = app.publicKey) {
	const sent = lowerCased(headers);
	const answer = { status: 200 };
	const request = { header: (name) => sent[name.toLowerCase()], body: Buffer.from(body) };
	const response = {
		setHeader: () => {},
		set statusCode(status) {
			answer.status = status;
		},
		end: (text) => Object.assign(answer, { body: text }),
	};
	await verifyKeyMiddleware(publicKey)(request, response, () => (answer.passed = true));
	return answer;
}

describe("Discord's PING, judged by discord-interactions' verifyKeyMiddleware", () => {
	const PING = fixture('discord-ping');

	it('answers a signed PING with a PONG exactly as the middleware does, and starts no run', async () => {
		const sent = delivery(app, { body: PING });
		const theirs = await middlewareAnswer(sent);
		const outcome = receiver(PARAMETERS, [app.publicKey])(sent);
		assert.equal(outcome.kind, 'handshake', JSON.stringify(outcome.answer));
		assert.deepEqual(outcome.answer, { status: theirs.status, body: JSON.parse(theirs.body) });
		assert.deepEqual(outcome.answer.body, { type: 1 });
	});

	// Discord also sends PINGs with bad signatures and wants them refused.
	for (const [name, sent] of [
		['a PING signed by another app', delivery(publicKeySender('discord'), { body: PING })],
		[
			'a PING with a random signature',
			(() => {
				const signed = delivery(app, { body: PING });
				return {
					...signed,
					headers: { ...signed.headers, 'x-signature-ed25519': 'cd'.repeat(64) },
				};
			})(),
		],
	]) {
		it(`refuses ${name} with 401, as the middleware does`, async () => {
			assert.equal((await middlewareAnswer(sent)).status, 401);
			const outcome = receiver(PARAMETERS, [app.publicKey])(sent);
			assert.deepEqual(refusal(outcome), [401, 'signature_mismatch']);
		});
	}

	it('hands a command on as an interaction, as the middleware does', async () => {
		const sent = delivery(app);
		assert.equal((await middlewareAnswer(sent)).passed, true);
		assert.equal(receiver(PARAMETERS, [app.publicKey])(sent).kind, 'accepted');
	});
});

describe('Discord Interactions, judged by discord-interactions', () => {
	it('accepts an interaction verifyKey accepts, named by its id and typed by the command', async () => {
		const sent = delivery(app);
		assert.equal(await discordAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [app.publicKey])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual([event.event, event.id], ['deploy', '1317305871234567890']);
		assert.equal(body.member.user.global_name, 'Zoë');
	});

	it('answers the same interaction sent again as a duplicate', () => {
		const receive = receiver(PARAMETERS, [app.publicKey]);
		assert.equal(receive(delivery(app)).kind, 'accepted');
		assert.equal(receive(delivery(app)).kind, 'duplicate');
	});

	it("accepts an interaction signed with the previous key (the credential's Previous Secret)", async () => {
		const renewed = publicKeySender('discord');
		const sent = delivery(app);
		assert.equal(await discordAccepts(sent, app.publicKey), true);
		const outcome = receiver(PARAMETERS, [renewed.publicKey, app.publicKey])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
	});

	const otherApp = publicKeySender('discord');
	const signed = delivery(app);
	for (const [name, sent] of [
		['a tampered body', { ...signed, body: BODY.replace('staging', 'production') }],
		['a signature by another app', delivery(otherApp)],
		[
			'another timestamp than the signed one',
			{
				...signed,
				headers: {
					...signed.headers,
					'x-signature-timestamp': String(Number(signed.headers['x-signature-timestamp']) + 1),
				},
			},
		],
		// Discord checks an endpoint by sending it requests with invalid signatures: they must get 401.
		[
			"Discord's probe with a random signature",
			{ ...signed, headers: { ...signed.headers, 'x-signature-ed25519': 'ab'.repeat(64) } },
		],
	]) {
		it(`refuses ${name} with 401, as verifyKey does`, async () => {
			assert.equal(await discordAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [app.publicKey])(sent);
			assert.deepEqual(refusal(outcome), [401, 'signature_mismatch']);
		});
	}

	it('refuses a signature that is not 64 bytes of hex, as verifyKey does', async () => {
		const sent = { ...signed, headers: { ...signed.headers, 'x-signature-ed25519': 'not-hex' } };
		assert.equal(await discordAccepts(sent), false);
		const outcome = receiver(PARAMETERS, [app.publicKey])(sent);
		assert.deepEqual(refusal(outcome), [401, 'malformed_signature']);
	});

	it('refuses a stale timestamp, which verifyKey leaves to the receiver', async () => {
		const sent = delivery(app, { timestamp: Math.floor(Date.now() / 1000) - 600 });
		// The signature itself is genuine: discord-interactions checks no time.
		assert.equal(await discordAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [app.publicKey])(sent);
		assert.deepEqual(refusal(outcome), [401, 'timestamp_out_of_tolerance']);
	});

	for (const [header, reason] of [
		['x-signature-ed25519', 'missing_signature'],
		['x-signature-timestamp', 'missing_timestamp'],
	]) {
		it(`refuses an interaction without ${header}, as verifyKey does`, async () => {
			const headers = { ...signed.headers };
			delete headers[header];
			const sent = { ...signed, headers };
			assert.equal(await discordAccepts(sent), false);
			assert.deepEqual(refusal(receiver(PARAMETERS, [app.publicKey])(sent)), [401, reason]);
		});
	}
});
