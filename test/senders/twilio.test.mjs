// The Twilio preset against Twilio's own library (`twilio`): `getExpectedTwilioSignature` signs the
// deliveries, `validateRequest` (form webhooks) and `validateRequestWithBody` (JSON webhooks, whose
// URL carries bodySHA256) verify the same ones. Twilio signs the URL it called and no timestamp,
// so there is no stale case; the trigger's Public URL is the URL entered in Twilio. The id of a
// form webhook is its I-Twilio-Idempotency-Token header, which Twilio keeps on a retry (its docs,
// "Webhooks (HTTP callbacks)" and "Connection Overrides"; no library reads it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import twilio from 'twilio';

import {
	PUBLIC_URLS,
	SECRETS,
	twilioFormDelivery as formDelivery,
	twilioJsonDelivery as jsonDelivery,
} from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const SECRET = SECRETS.twilio;
const URL = PUBLIC_URLS.twilio;
const PARAMETERS = { scheme: 'twilio' };

/** One request to a trigger whose Public URL is the URL entered in Twilio unless `settings` say otherwise. */
const receive = (sent, settings = {}) =>
	receiver(PARAMETERS, settings.secrets ?? [SECRET], {
		options: settings.options,
		publicUrl: 'publicUrl' in settings ? settings.publicUrl : URL,
	})(sent);

/** Twilio's verdict on a request to `url`, as its Express middleware picks the check. */
function twilioAccepts({ headers, body }, url) {
	const signature = lowerCased(headers)['x-twilio-signature'] ?? '';
	if (url.includes('bodySHA256'))
		return twilio.validateRequestWithBody(SECRET, signature, url, body);
	const fields = Object.fromEntries(new URLSearchParams(body));
	return twilio.validateRequest(SECRET, signature, url, fields);
}

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

describe('Twilio, judged by twilio (validateRequest, validateRequestWithBody)', () => {
	it('accepts a form webhook Twilio validates, typed by the field the user names and named by its idempotency token', () => {
		const sent = formDelivery();
		assert.equal(twilioAccepts(sent, URL), true);
		const outcome = receive(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['delivered', sent.headers['I-Twilio-Idempotency-Token']],
		);
		assert.equal(body.MessageSid, 'SM7e2a9c4b1d3f5a6b8c0d2e4f6a8b0c1d');
	});

	it("answers Twilio's retry of a form webhook (the same idempotency token) as a duplicate", () => {
		const once = receiver(PARAMETERS, [SECRET], { publicUrl: URL });
		const token = 'a3f1c2d4-5b6e-4f70-8192-a3b4c5d6e7f8';
		assert.equal(once(formDelivery({ idempotencyToken: token })).kind, 'accepted');
		const retry = formDelivery({ idempotencyToken: token });
		assert.equal(twilioAccepts(retry, URL), true);
		assert.equal(once(retry).kind, 'duplicate');
		// Another callback about the same message is another request, with its own token.
		assert.equal(once(formDelivery()).kind, 'accepted');
	});

	it('names the run by the Event ID Field the user names rather than by the token', () => {
		const sent = formDelivery();
		const outcome = receive(sent, { options: { eventIdField: 'MessageSid' } });
		assert.equal(outcome.events[0].event.id, 'SM7e2a9c4b1d3f5a6b8c0d2e4f6a8b0c1d');
	});

	it('accepts a JSON webhook Twilio validates, its body checked through bodySHA256', () => {
		const sent = jsonDelivery();
		assert.equal(twilioAccepts(sent, sent.url), true);
		const outcome = receive(sent, { options: {} });
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['com.twilio.messaging.message.delivered', 'EZ4d1e8a2b7c3f9e0a6b5c4d3e2f1a0b9c'],
		);
	});

	it("answers Twilio's retry of the same JSON event as a duplicate", () => {
		const once = receiver(PARAMETERS, [SECRET], { publicUrl: URL });
		assert.equal(once(jsonDelivery()).kind, 'accepted');
		assert.equal(once(jsonDelivery()).kind, 'duplicate');
	});

	it('accepts deliveries signed with the previous Auth Token during a rotation', () => {
		const previous = '0123456789abcdef0123456789abcdef';
		for (const [sent, options] of [
			[formDelivery({ secret: previous }), {}],
			[jsonDelivery({ secret: previous }), {}],
		]) {
			assert.equal(twilioAccepts(sent, sent.url), false);
			const outcome = receive(sent, { secrets: [SECRET, previous], options });
			assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		}
	});

	const form = formDelivery();
	const json = jsonDelivery();
	for (const [name, sent] of [
		['a form with a changed field', { ...form, body: form.body.replace('delivered', 'failed') }],
		['a form with an added field', { ...form, body: `${form.body}&ErrorCode=30003` }],
		[
			'a JSON body changed after Twilio hashed it',
			{ ...json, body: json.body.replace('DELIVERED', 'FAILED') },
		],
		['another Auth Token, form', formDelivery({ secret: 'another-auth-token' })],
		['another Auth Token, JSON', jsonDelivery({ secret: 'another-auth-token' })],
	]) {
		it(`refuses ${name} as Twilio's library does`, () => {
			assert.equal(twilioAccepts(sent, sent.url), false);
			assert.deepEqual(refusal(receive(sent)), [401, 'signature_mismatch']);
		});
	}

	it("refuses a JSON body whose bodySHA256 was rewritten to match it: the signature covers Twilio's", () => {
		const tampered = json.body.replace('DELIVERED', 'FAILED');
		const rehashed = `${URL}&bodySHA256=${twilio.getExpectedBodyHash(tampered)}`;
		const sent = { ...json, body: tampered, receivedUrl: rehashed };
		assert.equal(twilioAccepts(sent, rehashed), false);
		assert.deepEqual(refusal(receive(sent, { publicUrl: undefined })), [401, 'signature_mismatch']);
	});

	for (const [name, publicUrl] of [
		['http where Twilio called https', URL.replace('https:', 'http:')],
		['the query string left out', URL.split('?')[0]],
	]) {
		it(`refuses a delivery when the Public URL differs from the URL entered in Twilio: ${name}`, () => {
			assert.equal(twilioAccepts(form, publicUrl), false);
			assert.deepEqual(refusal(receive(form, { publicUrl })), [401, 'signature_mismatch']);
		});
	}

	for (const [name, signedFor, publicUrl] of [
		[':443 signed, none in the Public URL', URL.replace('.com/', '.com:443/'), URL],
		['none signed, :443 in the Public URL', URL, URL.replace('.com/', '.com:443/')],
	]) {
		it(`accepts the URL with or without its default port, as Twilio's library does: ${name}`, () => {
			const sent = formDelivery({ url: signedFor });
			assert.equal(twilioAccepts(sent, publicUrl), true);
			assert.equal(receive(sent, { publicUrl }).kind, 'accepted');
		});
	}

	it("refuses another port than the one Twilio signed, as Twilio's library does", () => {
		const sent = formDelivery({ url: URL.replace('.com/', '.com:8443/') });
		assert.equal(twilioAccepts(sent, URL), false);
		assert.deepEqual(refusal(receive(sent)), [401, 'signature_mismatch']);
	});

	it('behind a proxy, checks the Public URL rather than the URL n8n received the request on', () => {
		const receivedUrl = 'http://n8n:5678/webhook/twilio-status?account=main';
		const sent = { ...form, receivedUrl };
		assert.equal(twilioAccepts(sent, receivedUrl), false);
		assert.deepEqual(refusal(receive(sent, { publicUrl: undefined })), [401, 'signature_mismatch']);
		assert.equal(receive(sent).kind, 'accepted');
	});

	it('without a Public URL, checks the URL n8n received the request on, bodySHA256 included', () => {
		const sent = { ...json, receivedUrl: json.url };
		const outcome = receive(sent, { publicUrl: undefined, options: {} });
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
	});

	it('refuses a delivery without X-Twilio-Signature', () => {
		const { 'X-Twilio-Signature': _dropped, ...headers } = form.headers;
		const sent = { headers, body: form.body };
		assert.equal(twilioAccepts(sent, URL), false);
		assert.deepEqual(refusal(receive(sent)), [401, 'missing_signature']);
	});
});
