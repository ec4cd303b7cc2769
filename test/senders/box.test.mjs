// The Box preset against box-node-sdk (`WebhooksManager.validateMessage`), which verifies the
// same deliveries with the app's Primary and Secondary Keys. Box publishes no signer: deliveries
// are signed as its documentation says (see deliveries.mjs). The credential holds the Primary Key
// as its Secret and the Secondary Key as its Previous Secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { WebhooksManager } from 'box-node-sdk/managers';

import { boxDelivery as delivery, fixture, SECRETS } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const PRIMARY = SECRETS.boxPrimary;
const SECONDARY = SECRETS.boxSecondary;
const REGENERATED = 'Kd7Fs2Wq9Xm4Bn1Tz6Lc3Rv8Yh0Jp5Ge';
const BODY = fixture('box-FILE.UPLOADED');
const PARAMETERS = { scheme: 'box' };

/** box-node-sdk's verdict, with the headers as Node's HTTP server names them. */
const boxAccepts = ({ headers, body }, primary = PRIMARY, secondary = SECONDARY) =>
	WebhooksManager.validateMessage(body, lowerCased(headers), primary, {
		secondaryKey: secondary,
	});

/** BOX-DELIVERY-TIMESTAMP `minutes` ago, as Box writes it. */
const minutesAgo = (minutes) =>
	new Date(Date.now() - minutes * 60_000 - 7 * 3_600_000)
		.toISOString()
		.replace(/\.\d{3}Z$/, '-07:00');

describe('Box, judged by box-node-sdk', () => {
	it("accepts a delivery Box's SDK validates, with the type and id of its body", async () => {
		const sent = delivery();
		assert.equal(await boxAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [PRIMARY, SECONDARY])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['FILE.UPLOADED', '5e9b2c71-0d4a-4f83-a6e2-9c1b7d3f0a58'],
		);
		assert.equal(body.source.name, 'Devis signé 2026-05.pdf');
	});

	it("answers Box's retry of the same event (a new delivery, signed again) as a duplicate", () => {
		const receive = receiver(PARAMETERS, [PRIMARY, SECONDARY]);
		assert.equal(receive(delivery({ timestamp: minutesAgo(2) })).kind, 'accepted');
		assert.equal(receive(delivery()).kind, 'duplicate');
	});

	it('accepts a delivery with the Primary Key alone in the credential, as the SDK does', async () => {
		const sent = delivery();
		assert.equal(await boxAccepts(sent, PRIMARY, undefined), true);
		assert.equal(receiver(PARAMETERS, [PRIMARY])(sent).kind, 'accepted');
	});

	it('accepts, while the Primary Key is regenerated, what the Secondary Key still signs', async () => {
		// Box signs with the new Primary Key before the credential has it.
		const sent = delivery({ primary: REGENERATED });
		assert.equal(await boxAccepts(sent), true);
		assert.equal(receiver(PARAMETERS, [PRIMARY, SECONDARY])(sent).kind, 'accepted');
		// Once the new Primary Key is the Secret, it verifies on its own.
		assert.equal(await boxAccepts(sent, REGENERATED, undefined), true);
		assert.equal(receiver(PARAMETERS, [REGENERATED])(sent).kind, 'accepted');
	});

	it('accepts a delivery whose BOX-SIGNATURE-PRIMARY is left out when the Secondary Key signs it', async () => {
		const { 'BOX-SIGNATURE-PRIMARY': _, ...headers } = delivery().headers;
		const sent = { headers, body: BODY };
		assert.equal(await boxAccepts(sent), true);
		assert.equal(receiver(PARAMETERS, [PRIMARY, SECONDARY])(sent).kind, 'accepted');
	});

	it('accepts milliseconds in BOX-DELIVERY-TIMESTAMP, signed as sent', async () => {
		const timestamp = new Date(Date.now() - 60_000).toISOString();
		const sent = delivery({ timestamp });
		assert.equal(await boxAccepts(sent), true);
		assert.equal(receiver(PARAMETERS, [PRIMARY, SECONDARY])(sent).kind, 'accepted');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('Contracts', 'Archive') },
			'signature_mismatch',
		],
		[
			'keys it does not hold',
			delivery({ primary: REGENERATED, secondary: 'Zt4Yw1Ke8Mb3Qn6Vx0Rs5Gc2Hf7Ld9Ja' }),
			'signature_mismatch',
		],
		[
			'a delivery older than 10 minutes',
			delivery({ timestamp: minutesAgo(11) }),
			'timestamp_out_of_tolerance',
		],
		[
			'a signed timestamp changed in transit',
			{
				...delivery(),
				headers: { ...delivery().headers, 'BOX-DELIVERY-TIMESTAMP': minutesAgo(1) },
			},
			'signature_mismatch',
		],
		[
			'no signature header',
			(() => {
				const {
					'BOX-SIGNATURE-PRIMARY': _,
					'BOX-SIGNATURE-SECONDARY': __,
					...headers
				} = delivery().headers;
				return { headers, body: BODY };
			})(),
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as the SDK does`, async () => {
			assert.equal(await boxAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [PRIMARY, SECONDARY])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('refuses a BOX-DELIVERY-TIMESTAMP that is no RFC 3339 date-time as missing, where the SDK skips its time check', async () => {
		// Box always sends RFC 3339; the SDK compares NaN with the clock when it cannot read one.
		const unreadable = delivery({ timestamp: String(Math.floor(Date.now() / 1000)) });
		assert.equal(await boxAccepts(unreadable), true);
		for (const sent of [unreadable, delivery({ timestamp: '2026-05-04T24:00:00-07:00' })]) {
			const outcome = receiver(PARAMETERS, [PRIMARY, SECONDARY])(sent);
			assert.deepEqual(
				[outcome.answer.status, outcome.answer.body.error],
				[401, 'missing_timestamp'],
			);
		}
	});
});
