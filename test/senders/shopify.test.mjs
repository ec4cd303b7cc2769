// Shopify through Custom HMAC with its headers as the event type and id, against Shopify's own
// library (`@shopify/shopify-api`), which verifies the same deliveries. Shopify publishes no signer;
// the deliveries are signed as its documentation says: base64 HMAC-SHA256 of the body, keyed with
// the app's client secret as text.
import '@shopify/shopify-api/adapters/node';

import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';

import { receiver } from './support.mjs';

const SECRET = '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';
const BODY = readFileSync(new URL('fixtures/shopify-orders-create.json', import.meta.url), 'utf8');
const PARAMETERS = {
	scheme: 'customHmac',
	signatureHeader: 'X-Shopify-Hmac-Sha256',
	algorithm: 'sha256',
	encoding: 'base64',
	secretEncoding: 'text',
};
const OPTIONS = { eventTypeHeader: 'X-Shopify-Topic', eventIdHeader: 'X-Shopify-Webhook-Id' };

const shopify = shopifyApi({
	apiKey: 'app-api-key',
	apiSecretKey: SECRET,
	scopes: ['read_orders'],
	hostName: 'n8n.example.com',
	apiVersion: ApiVersion.October25,
	isEmbeddedApp: false,
	logger: { level: LogSeverity.Error, log: async () => {} },
});

function delivery({ secret = SECRET, body = BODY, id = randomUUID() } = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'X-Shopify-Topic': 'orders/create',
			'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
			'X-Shopify-Shop-Domain': 'n8n-test.myshopify.com',
			'X-Shopify-API-Version': '2025-10',
			'X-Shopify-Webhook-Id': id,
			'X-Shopify-Event-Id': randomUUID(),
			'X-Shopify-Triggered-At': new Date().toISOString(),
		},
		body,
	};
}

async function shopifyAccepts({ headers, body }) {
	const rawRequest = { method: 'POST', url: '/webhook', headers: lowerCased(headers) };
	const result = await shopify.webhooks.validate({ rawBody: body, rawRequest, rawResponse: {} });
	return result.valid;
}

const lowerCased = (headers) =>
	Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe('Shopify through Custom HMAC, judged by @shopify/shopify-api', () => {
	it('accepts a delivery Shopify validates, typed by X-Shopify-Topic and named by X-Shopify-Webhook-Id', async () => {
		const sent = delivery();
		assert.equal(await shopifyAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET], { options: OPTIONS })(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['orders/create', sent.headers['X-Shopify-Webhook-Id']],
		);
		assert.equal(body.name, '#9999');
	});

	it("answers Shopify's retry (same webhook id) as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET], { options: OPTIONS });
		assert.equal(receive(delivery({ id: 'retried' })).kind, 'accepted');
		assert.equal(receive(delivery({ id: 'retried' })).kind, 'duplicate');
	});

	it('refuses what Shopify refuses: a tampered body, another secret', async () => {
		const tampered = { ...delivery(), body: BODY.replace('398.00', '3.98') };
		for (const refused of [tampered, delivery({ secret: 'shpss_another' })]) {
			assert.equal(await shopifyAccepts(refused), false);
			const outcome = receiver(PARAMETERS, [SECRET], { options: OPTIONS })(refused);
			assert.deepEqual(
				[outcome.answer.status, outcome.answer.body.error],
				[401, 'signature_mismatch'],
			);
		}
	});

	it('without the type header option, refuses the untyped body with 422 naming where it looked', () => {
		const outcome = receiver(PARAMETERS, [SECRET])(delivery());
		assert.equal(outcome.answer.status, 422);
		assert.match(outcome.answer.body.message, /event, type, event_type/);
	});
});
