// The HubSpot preset against HubSpot's own library (`@hubspot/api-client`, `Signature`), which signs
// the v3 signature of each delivery and verifies the same deliveries (`Signature.isValid`). HubSpot
// signs the method, the URL it called, the body and a time in milliseconds, so the trigger's Public
// URL is the URL the deliveries were signed for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Signature } from '@hubspot/api-client';

import { fixture, hubspotDelivery as delivery, PUBLIC_URLS, SECRETS } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const SECRET = SECRETS.hubspot;
const URL = PUBLIC_URLS.hubspot;
const BODY = fixture('hubspot-contact.creation');
const PARAMETERS = { scheme: 'hubspot' };
// HubSpot names each event's type in "subscriptionType" and its id in "eventId".

/** One request to a trigger whose Public URL is HubSpot's target URL unless `settings` say otherwise. */
const receive = (sent, settings = {}) =>
	receiver(PARAMETERS, settings.secrets ?? [SECRET], {
		publicUrl: 'publicUrl' in settings ? settings.publicUrl : URL,
	})(sent);

/** HubSpot's verdict on a POST to `url`; its library throws on a stale or missing timestamp. */
function hubspotAccepts({ headers, body }, url = URL) {
	const sent = lowerCased(headers);
	try {
		return Signature.isValid({
			signatureVersion: 'v3',
			method: 'POST',
			clientSecret: SECRET,
			requestBody: body,
			url,
			signature: sent['x-hubspot-signature-v3'],
			timestamp: Number(sent['x-hubspot-request-timestamp']),
		});
	} catch {
		return false;
	}
}

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

describe('HubSpot, judged by @hubspot/api-client (Signature, v3)', () => {
	it('accepts a delivery HubSpot verifies: one event per element, typed and named by each', () => {
		const sent = delivery();
		assert.equal(hubspotAccepts(sent), true);
		const outcome = receive(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.deepEqual(
			outcome.events.map(({ event }) => [event.event, event.id]),
			[
				['contact.creation', '1783925174'],
				['contact.propertyChange', '1783925175'],
			],
		);
		assert.deepEqual(outcome.answer.body, { received: true, ids: ['1783925174', '1783925175'] });
	});

	it("answers HubSpot's retry of the same events, signed anew, as a duplicate", () => {
		const once = receiver(PARAMETERS, [SECRET], { publicUrl: URL });
		assert.equal(once(delivery()).kind, 'accepted');
		assert.equal(once(delivery({ timestamp: Date.now() + 1000 })).kind, 'duplicate');
	});

	it('accepts a delivery signed with the previous client secret during a rotation', () => {
		const previous = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
		const sent = delivery({ secret: previous });
		assert.equal(hubspotAccepts(sent), false);
		assert.equal(receive(sent, { secrets: [SECRET, previous] }).kind, 'accepted');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('bh@hubspot.com', 'x@example.com') },
			'signature_mismatch',
		],
		['another client secret', delivery({ secret: 'another-client-secret' }), 'signature_mismatch'],
		['another method signed', delivery({ method: 'PUT' }), 'signature_mismatch'],
		[
			'a timestamp ten minutes old',
			delivery({ timestamp: Date.now() - 10 * 60 * 1000 }),
			'timestamp_out_of_tolerance',
		],
	]) {
		it(`refuses ${name} as HubSpot's library does`, () => {
			assert.equal(hubspotAccepts(sent), false);
			assert.deepEqual(refusal(receive(sent)), [401, reason]);
		});
	}

	it('reads the timestamp in milliseconds: the same delivery stamped in seconds is refused', () => {
		const inSeconds = Math.floor(Date.now() / 1000);
		const sent = delivery({ timestamp: inSeconds });
		assert.equal(hubspotAccepts(sent), false);
		assert.deepEqual(refusal(receive(sent)), [401, 'timestamp_out_of_tolerance']);
	});

	for (const [name, signedFor, publicUrl] of [
		['http where HubSpot called https', URL, URL.replace('https:', 'http:')],
		['the query string left out', URL, URL.split('?')[0]],
	]) {
		it(`refuses a delivery when the Public URL differs from the URL HubSpot signed: ${name}`, () => {
			const sent = delivery({ url: signedFor });
			assert.equal(hubspotAccepts(sent, publicUrl), false);
			assert.deepEqual(refusal(receive(sent, { publicUrl })), [401, 'signature_mismatch']);
		});
	}

	it('behind a proxy, checks the Public URL rather than the URL n8n received the request on', () => {
		const sent = {
			...delivery(),
			receivedUrl: 'http://127.0.0.1:5678/webhook/hubspot?portal=62515',
		};
		assert.equal(hubspotAccepts(sent, sent.receivedUrl), false);
		assert.deepEqual(refusal(receive(sent, { publicUrl: undefined })), [401, 'signature_mismatch']);
		assert.equal(receive(sent).kind, 'accepted');
	});

	for (const header of ['X-HubSpot-Signature-v3', 'X-HubSpot-Request-Timestamp']) {
		it(`refuses a delivery without ${header}`, () => {
			const { [header]: _dropped, ...headers } = delivery().headers;
			const sent = { headers, body: BODY };
			assert.equal(hubspotAccepts(sent), false);
			const reason =
				header === 'X-HubSpot-Signature-v3' ? 'missing_signature' : 'missing_timestamp';
			assert.deepEqual(refusal(receive(sent)), [401, reason]);
		});
	}
});
