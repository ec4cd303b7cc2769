// The Meta preset (WhatsApp Cloud API, Facebook, Instagram, Messenger). Meta publishes no library
// that verifies its webhooks, so its documented procedure is the reference ("Webhooks › Getting
// Started › Validate Payloads", developers.facebook.com/docs/graph-api/webhooks/getting-started):
// deliveries.mjs signs as that page says, and an independent implementation of the same
// `sha256=<hex>` check, `@octokit/webhooks-methods` `verify`, judges each delivery beside ours.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { verify } from '@octokit/webhooks-methods';

import { fixture, metaDelivery as delivery, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.meta;
const ROTATED = '0a9b8c7d6e5f40312a3b4c5d6e7f8091';
const BODY = fixture('meta-whatsapp-messages');
const PARAMETERS = { scheme: 'meta' };

/** The documented check's verdict, as an independent library computes it. */
async function referenceAccepts({ headers, body }, secret = SECRET) {
	const signature = headers['X-Hub-Signature-256'];
	return signature !== undefined && (await verify(secret, body, signature));
}

describe('Meta, judged by its documented procedure (through @octokit/webhooks-methods)', () => {
	it('verifies the body as sent, with its \\u escapes, not the same JSON written again', async () => {
		const sent = delivery();
		assert.equal(await referenceAccepts(sent), true);
		// The same JSON written again is other bytes: only the bytes received verify.
		const rewritten = JSON.stringify(JSON.parse(BODY));
		assert.notEqual(rewritten, BODY);
		assert.equal(await referenceAccepts({ ...sent, body: rewritten }), false);
		assert.equal(receiver(PARAMETERS, [SECRET])(sent).kind, 'accepted');
		const refused = receiver(PARAMETERS, [SECRET])({ ...sent, body: rewritten });
		assert.equal(refused.answer.body.error, 'signature_mismatch');
	});

	it('accepts it typed and named where WhatsApp puts them, with the options left as they are, and answers the retry as a duplicate', async () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		const outcome = receive(delivery());
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['messages', 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdCNjBDRkQ5QzJFMTI0RTNFRgA='],
		);
		assert.equal(body.entry[0].changes[0].value.contacts[0].profile.name, 'Renée');
		assert.equal(receive(delivery()).kind, 'duplicate');
		const byObject = receiver(PARAMETERS, [SECRET], { options: { eventTypeField: 'object' } });
		assert.equal(byObject(delivery()).events[0].event.event, 'whatsapp_business_account');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('order 42', 'order 43') },
			'signature_mismatch',
		],
		['another App Secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'a request with only the legacy SHA-1 X-Hub-Signature',
			(({ 'X-Hub-Signature-256': _, ...headers }) => ({ headers, body: BODY }))(delivery().headers),
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as the documented check does`, async () => {
			assert.equal(await referenceAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous App Secret during a rotation', async () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const body = BODY.replace('wamid.', `wamid.${secret.slice(0, 4)}`);
			const sent = delivery({ secret, body });
			assert.equal(await referenceAccepts(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
