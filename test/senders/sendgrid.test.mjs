// The SendGrid Event Webhook preset against SendGrid's own library (`@sendgrid/eventwebhook`),
// which verifies the same deliveries: first the test vectors of that library's own tests
// (src/eventwebhook.spec.js in the package), then deliveries signed as SendGrid signs them
// (SendGrid publishes no signer) with a P-256 key pair made here, whose public key both verifiers
// get as SendGrid's dashboard shows it (base64, no PEM lines).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { EventWebhook } from '@sendgrid/eventwebhook';

import { publicKeySender, sendgridBody, sendgridDelivery as delivery } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const PARAMETERS = { scheme: 'sendgrid' };
// SendGrid names each event in sg_event_id: the trigger reads it when told to.
const SIGNATURE = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';
const sendgrid = new EventWebhook();
const account = publicKeySender('sendgrid');

function sendgridAccepts({ headers, body }, publicKey = account.publicKey) {
	const sent = lowerCased(headers);
	try {
		return sendgrid.verifySignature(
			sendgrid.convertPublicKeyToECDSA(publicKey),
			body,
			sent[SIGNATURE],
			sent[TIMESTAMP],
		);
	} catch {
		return false;
	}
}

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

/** One of the test vectors in @sendgrid/eventwebhook's own tests, as the delivery it stands for. */
function vector({ key, signature, timestamp, events }) {
	return {
		key,
		timestamp,
		sent: {
			headers: {
				'Content-Type': 'application/json',
				[SIGNATURE]: signature,
				[TIMESTAMP]: timestamp,
			},
			body: sendgridBody(events),
		},
	};
}

const SINGLE = vector({
	key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==',
	signature:
		'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
	timestamp: '1600112502',
	events: [
		{
			email: 'hello@world.com',
			event: 'dropped',
			reason: 'Bounced Address',
			sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
			sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
			'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
			timestamp: 1600112492,
		},
	],
});

const MULTIPLE = vector({
	key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q==',
	signature:
		'MEYCIQC/I4o6vCgqRYrTljjoVWB/GRWNtxeePlLMHr3x9ETeRQIhAIpV+03nREPTTHWSW0wIOA0EoMPdcNgXa70yCaqDJlu5',
	timestamp: '1619651159',
	events: [
		{
			email: 'invalid@gmail.com',
			event: 'processed',
			send_at: 0,
			sg_event_id: 'cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA',
			sg_message_id: 'qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0',
			'smtp-id': '<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>',
			timestamp: 1619651146,
		},
		{
			email: 'invalid@gmail.com',
			event: 'bounce',
			ip: '167.89.101.76',
			reason:
				'552 5.2.2 The email account that you tried to reach is over quota and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm c17si1130468pgv.34 - gsmtp',
			sg_event_id: 'Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w',
			sg_message_id: 'qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0',
			'smtp-id': '<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>',
			status: '5.2.2',
			timestamp: 1619651147,
			tls: 1,
			type: 'blocked',
		},
	],
});

describe("SendGrid Event Webhook: the test vectors of SendGrid's library", () => {
	it('accepts the single-event vector at its own time, as the library does', () => {
		assert.equal(sendgridAccepts(SINGLE.sent, SINGLE.key), true);
		const outcome = receiver(PARAMETERS, [SINGLE.key])(SINGLE.sent, Number(SINGLE.timestamp));
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.deepEqual(
			outcome.events.map(({ event }) => [event.event, event.id]),
			[['dropped', 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA']],
		);
	});

	it('accepts the two-event vector as two events, each typed by its event field', () => {
		assert.equal(sendgridAccepts(MULTIPLE.sent, MULTIPLE.key), true);
		const at = Number(MULTIPLE.timestamp);
		const outcome = receiver(PARAMETERS, [MULTIPLE.key])(MULTIPLE.sent, at);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.deepEqual(
			outcome.events.map(({ event }) => [event.event, event.id]),
			[
				['processed', 'cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA'],
				['bounce', 'Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w'],
			],
		);
	});

	it("refuses the vector under the library's invalid key and with its bad signature", () => {
		const otherKey =
			'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==';
		const badSignature = {
			...SINGLE.sent,
			headers: {
				...SINGLE.sent.headers,
				[SIGNATURE]:
					'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=',
			},
		};
		const at = Number(SINGLE.timestamp);
		for (const [key, sent] of [
			[otherKey, SINGLE.sent],
			[SINGLE.key, badSignature],
		]) {
			assert.equal(sendgridAccepts(sent, key), false);
			assert.deepEqual(refusal(receiver(PARAMETERS, [key])(sent, at)), [401, 'signature_mismatch']);
		}
	});
});

describe('SendGrid Event Webhook, judged by @sendgrid/eventwebhook', () => {
	it('accepts a batch the library verifies, one event per element, named by sg_event_id', () => {
		const sent = delivery(account);
		assert.equal(sendgridAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [account.publicKey])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.deepEqual(
			outcome.events.map(({ event }) => [event.event, event.id]),
			[
				['processed', 'cHJvY2Vzc2VkLTQ4MjkxMDQ3LVhqN3JXcTJOVFNLbWRZOEZ2QnBIdEEtMA'],
				['delivered', 'ZGVsaXZlcmVkLTAtNDgyOTEwNDctWGo3cldxMk5UU0ttZFk4RnZCcEh0QS0w'],
				['open', 'b3Blbi00ODI5MTA0Ny0xNzMzNDY4NzAxLVpvw6s'],
			],
		);
	});

	it('answers the same batch sent again as a duplicate', () => {
		const receive = receiver(PARAMETERS, [account.publicKey]);
		assert.equal(receive(delivery(account)).kind, 'accepted');
		assert.equal(receive(delivery(account)).kind, 'duplicate');
	});

	it("accepts a batch signed with the previous key (the credential's Previous Secret)", () => {
		const renewed = publicKeySender('sendgrid');
		const sent = delivery(account);
		assert.equal(sendgridAccepts(sent, account.publicKey), true);
		const outcome = receiver(PARAMETERS, [renewed.publicKey, account.publicKey])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
	});

	const signed = delivery(account);
	for (const [name, sent] of [
		['a tampered body', { ...signed, body: signed.body.replace('"open"', '"click"') }],
		['a batch signed by another account', delivery(publicKeySender('sendgrid'))],
		[
			'another timestamp than the signed one',
			{
				...signed,
				headers: { ...signed.headers, [TIMESTAMP]: String(Number(signed.headers[TIMESTAMP]) - 1) },
			},
		],
	]) {
		it(`refuses ${name} with 401, as the library does`, () => {
			assert.equal(sendgridAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [account.publicKey])(sent);
			assert.deepEqual(refusal(outcome), [401, 'signature_mismatch']);
		});
	}

	it('refuses a stale timestamp, which the library leaves to the receiver', () => {
		const sent = delivery(account, { timestamp: Math.floor(Date.now() / 1000) - 600 });
		// The signature itself is genuine: @sendgrid/eventwebhook checks no time.
		assert.equal(sendgridAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [account.publicKey])(sent);
		assert.deepEqual(refusal(outcome), [401, 'timestamp_out_of_tolerance']);
	});

	for (const [header, reason] of [
		[SIGNATURE, 'missing_signature'],
		[TIMESTAMP, 'missing_timestamp'],
	]) {
		it(`refuses a batch without ${header}, as the library does`, () => {
			const headers = { ...signed.headers };
			delete headers[header];
			const sent = { ...signed, headers };
			assert.equal(sendgridAccepts(sent), false);
			assert.deepEqual(refusal(receiver(PARAMETERS, [account.publicKey])(sent)), [401, reason]);
		});
	}
});
