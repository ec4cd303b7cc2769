// The Square preset against Square's own library (`square`, `WebhooksHelper.verifySignature`),
// which verifies the same deliveries. Square signs the notification URL followed by the body, so
// the trigger's Public URL is the URL the deliveries were signed for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { WebhooksHelper } from 'square';

import { fixture, PUBLIC_URLS, SECRETS, squareDelivery as delivery } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const SECRET = SECRETS.square;
const URL = PUBLIC_URLS.square;
const BODY = fixture('square-payment.created');
const PARAMETERS = { scheme: 'square' };
// Square names its event in "type" and its id in "event_id", which the user sets as Event ID Field.

/** One request to a trigger whose Public URL is Square's notification URL unless `settings` say otherwise. */
const receive = (sent, settings = {}) =>
	receiver(PARAMETERS, settings.secrets ?? [SECRET], {
		publicUrl: 'publicUrl' in settings ? settings.publicUrl : URL,
	})(sent);

async function squareAccepts({ headers, body }, notificationUrl = URL) {
	return await WebhooksHelper.verifySignature({
		requestBody: body,
		signatureHeader: lowerCased(headers)['x-square-hmacsha256-signature'],
		signatureKey: SECRET,
		notificationUrl,
	});
}

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

describe('Square, judged by square (WebhooksHelper)', () => {
	it('accepts a delivery Square verifies for its notification URL, typed and named by its body', async () => {
		const sent = delivery();
		assert.equal(await squareAccepts(sent), true);
		const outcome = receive(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['payment.created', '0d6b5c1e-8f2a-4c39-9b7e-5a1f3e2d4c6b'],
		);
		assert.equal(body.data.object.payment.status, 'APPROVED');
	});

	it("answers Square's retry of the same event as a duplicate", () => {
		const once = receiver(PARAMETERS, [SECRET], { publicUrl: URL });
		assert.equal(once(delivery()).kind, 'accepted');
		assert.equal(once(delivery()).kind, 'duplicate');
	});

	it('accepts a delivery signed with the previous signature key during a rotation', async () => {
		const sent = delivery({ secret: 'Old-signature-key_0123' });
		assert.equal(await squareAccepts(sent), false);
		assert.equal(receive(sent, { secrets: [SECRET, 'Old-signature-key_0123'] }).kind, 'accepted');
	});

	for (const [name, sent] of [
		['a tampered body', { ...delivery(), body: BODY.replace('2500', '25') }],
		['another signature key', delivery({ secret: 'Another-signature-key0' })],
	]) {
		it(`refuses ${name} as Square's library does`, async () => {
			assert.equal(await squareAccepts(sent), false);
			assert.deepEqual(refusal(receive(sent)), [401, 'signature_mismatch']);
		});
	}

	for (const [name, signedFor, publicUrl] of [
		['http where Square called https', URL, URL.replace('https:', 'http:')],
		['the query string left out', `${URL}?source=square`, URL],
		['another path', URL, URL.replace('square-payments', 'square')],
	]) {
		it(`refuses a delivery when the Public URL differs from the URL Square signed: ${name}`, async () => {
			const sent = delivery({ url: signedFor });
			assert.equal(await squareAccepts(sent, signedFor), true);
			assert.equal(await squareAccepts(sent, publicUrl), false);
			const outcome = receive(sent, { publicUrl });
			assert.deepEqual(refusal(outcome), [401, 'signature_mismatch']);
			assert.match(outcome.answer.body.message, /Public URL/);
		});
	}

	it('behind a proxy, checks the Public URL rather than the URL n8n received the request on', async () => {
		const sent = { ...delivery(), receivedUrl: 'http://n8n:5678/webhook/square-payments' };
		assert.equal(await squareAccepts(sent, sent.receivedUrl), false);
		assert.deepEqual(refusal(receive(sent, { publicUrl: undefined })), [401, 'signature_mismatch']);
		assert.equal(receive(sent).kind, 'accepted');
	});

	it('without a Public URL, checks the URL n8n received the request on', () => {
		assert.equal(
			receive({ ...delivery(), receivedUrl: URL }, { publicUrl: undefined }).kind,
			'accepted',
		);
	});

	it('answers 500 misconfigured when it knows no URL at all, before reading the signature', () => {
		const outcome = receive(
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			{
				publicUrl: undefined,
			},
		);
		assert.deepEqual(refusal(outcome), [500, 'misconfigured']);
	});

	it('refuses a delivery without x-square-hmacsha256-signature', async () => {
		const { 'x-square-hmacsha256-signature': _dropped, ...headers } = delivery().headers;
		const sent = { headers, body: BODY };
		assert.equal(await squareAccepts(sent), false);
		assert.deepEqual(refusal(receive(sent)), [401, 'missing_signature']);
	});
});
