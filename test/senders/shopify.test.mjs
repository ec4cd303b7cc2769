// The Shopify preset (and the same settings made by hand in Custom HMAC), against Shopify's own
// library (`@shopify/shopify-api`), which verifies the same deliveries.
import '@shopify/shopify-api/adapters/node';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';

import { fixture, SECRETS, shopifyDelivery as delivery } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const SECRET = SECRETS.shopify;
const BODY = fixture('shopify-orders-create');
const PARAMETERS = { scheme: 'shopify' };
const BY_HAND = {
	parameters: {
		scheme: 'customHmac',
		signatureHeader: 'X-Shopify-Hmac-Sha256',
		algorithm: 'sha256',
		encoding: 'base64',
		secretEncoding: 'text',
	},
	options: { eventTypeHeader: 'X-Shopify-Topic', eventIdHeader: 'X-Shopify-Webhook-Id' },
};

const shopify = shopifyApi({
	apiKey: 'app-api-key',
	apiSecretKey: SECRET,
	scopes: ['read_orders'],
	hostName: 'n8n.example.com',
	apiVersion: ApiVersion.October25,
	isEmbeddedApp: false,
	logger: { level: LogSeverity.Error, log: async () => {} },
});

async function shopifyAccepts({ headers, body }) {
	const rawRequest = { method: 'POST', url: '/webhook', headers: lowerCased(headers) };
	const result = await shopify.webhooks.validate({ rawBody: body, rawRequest, rawResponse: {} });
	return result.valid;
}

describe('Shopify, judged by @shopify/shopify-api', () => {
	it('accepts a delivery Shopify validates, typed by X-Shopify-Topic and named by X-Shopify-Webhook-Id', async () => {
		const sent = delivery();
		assert.equal(await shopifyAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['orders/create', sent.headers['X-Shopify-Webhook-Id']],
		);
		assert.equal(body.name, '#9999');
	});

	it("answers Shopify's retry (same webhook id) as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(delivery({ id: 'retried' })).kind, 'accepted');
		assert.equal(receive(delivery({ id: 'retried' })).kind, 'duplicate');
	});

	it('refuses what Shopify refuses: a tampered body, another secret', async () => {
		const tampered = { ...delivery(), body: BODY.replace('398.00', '3.98') };
		for (const refused of [tampered, delivery({ secret: 'shpss_another' })]) {
			assert.equal(await shopifyAccepts(refused), false);
			const outcome = receiver(PARAMETERS, [SECRET])(refused);
			assert.deepEqual(
				[outcome.answer.status, outcome.answer.body.error],
				[401, 'signature_mismatch'],
			);
		}
	});

	it('accepts the same delivery through Custom HMAC with the same settings made by hand', () => {
		const receive = receiver(BY_HAND.parameters, [SECRET], { options: BY_HAND.options });
		const outcome = receive(delivery({ id: 'by-hand' }));
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.deepEqual(
			[outcome.events[0].event.event, outcome.events[0].event.id],
			['orders/create', 'by-hand'],
		);
	});

	it('through Custom HMAC without the type header option, refuses the untyped body with 422 naming where it looked', () => {
		const outcome = receiver(BY_HAND.parameters, [SECRET])(delivery());
		assert.equal(outcome.answer.status, 422);
		assert.match(outcome.answer.body.message, /event, type, event_type/);
	});
});
