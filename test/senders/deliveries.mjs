// Deliveries as each sender makes them: its own library signs where it publishes one, with the
// secret shaped as the sender hands it out and the headers it sends. The sender suites and the
// end-to-end suite both send these.
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { sign as signGithub } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { Webhook as Svix } from 'svix';
import twilio from 'twilio';

// Key pairs of the senders that sign with a private key: `publicKeySender('discord')` gives one,
// its public key as the sender shows it, and a signer of its headers.
export const { publicKeySender } = createRequire(import.meta.url)('../support/events.cjs');

export const SECRETS = {
	// Shaped as Stripe's dashboard shows one: "whsec_" and 32 letters and digits.
	stripe: 'whsec_Wb2qJ6N4ZcT8xKp3Lm9R7vDf1Hs5Ga0E',
	// Text the user typed when creating the webhook: GitHub keys the HMAC with it as is.
	github: "It's a Secret to Everybody",
	// Shaped as Svix dashboards show one: "whsec_" and the base64 of 24 random bytes.
	svix: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	// A Shopify app's client secret.
	shopify: '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',
	gitlab: 'gitlab-webhook-secret-token-0123456789',
	// A Mux webhook signing secret: letters and digits, used as text.
	mux: 'kq8v5l2vhtrg0o1m3n4b6c7d9e0f1g2h',
	// A Square subscription's signature key: 22 URL-safe base64 characters, used as text.
	square: 'Nc4-uHq2TbZ8wK1r_Lx7Ye',
	// A HubSpot app's client secret: a UUID.
	hubspot: '7f3c9a2e-5b1d-4e8f-a6c0-2d9b8e7f1a34',
	// A Twilio account's Auth Token: 32 hexadecimal digits, used as text.
	twilio: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
};

/** The URLs senders that sign the URL call: n8n as the sender's dashboard names it. */
export const PUBLIC_URLS = {
	square: 'https://n8n.example.com/webhook/square-payments',
	hubspot: 'https://n8n.example.com/webhook/hubspot?portal=62515',
	twilio: 'https://n8n.example.com/webhook/twilio-status?account=main',
};

/** A sender's example payload, as text. */
export const fixture = (name) =>
	readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), 'utf8');

export const stripe = new Stripe(
	'sk_test_51NotARealKeyButTheLibraryWantsOne00000000000000000000000000',
);

const unixNow = () => Math.floor(Date.now() / 1000);

/** Stripe: its library writes the Stripe-Signature header. */
export function stripeDelivery({
	secret = SECRETS.stripe,
	body = fixture('stripe-payment_intent.succeeded'),
	timestamp = unixNow(),
} = {}) {
	const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
	return {
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': signature },
		body,
	};
}

/** GitHub: X-GitHub-Event names the type, X-GitHub-Delivery the delivery; GitHub's library signs. */
export async function githubDelivery(
	event,
	payload,
	{ secret = SECRETS.github, id = randomUUID() } = {},
) {
	const body = JSON.stringify(payload);
	return {
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'GitHub-Hookshot/6f9a1b2',
			'X-GitHub-Event': event,
			'X-GitHub-Delivery': id,
			'X-GitHub-Hook-ID': '512345678',
			'X-Hub-Signature-256': await signGithub(secret, body),
		},
		body,
	};
}

/** A Svix-powered sender (Clerk, Resend): Svix's library signs, under svix-* headers. */
export function svixDelivery(
	body,
	{ secret = SECRETS.svix, id = `msg_${randomUUID()}`, at = new Date() } = {},
) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'svix-id': id,
			'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
			'svix-signature': new Svix(secret).sign(id, at, body),
		},
		body,
	};
}

/**
 * Shopify publishes no signer: signed as its documentation says, a base64 HMAC-SHA256 of the body
 * keyed with the client secret as text (its library, which verifies, checks the same requests).
 */
export function shopifyDelivery({
	secret = SECRETS.shopify,
	body = fixture('shopify-orders-create'),
	id = randomUUID(),
} = {}) {
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

/** GitLab signs nothing: the secret token travels in X-Gitlab-Token, as its documentation shows. */
export function gitlabDelivery({ token = SECRETS.gitlab, id = randomUUID() } = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'X-Gitlab-Event': 'Push Hook',
			'X-Gitlab-Event-UUID': id,
			'X-Gitlab-Token': token,
		},
		body: JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main', commits: [] }),
	};
}

/**
 * Mux publishes no signer (its library verifies): signed as its documentation says, the hex
 * HMAC-SHA256 of `<time>.<body>` keyed with the signing secret as text, in Mux-Signature.
 */
export function muxDelivery({
	secret = SECRETS.mux,
	body = fixture('mux-video.asset.ready'),
	timestamp = unixNow(),
} = {}) {
	const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
	return {
		headers: { 'Content-Type': 'application/json', 'Mux-Signature': `t=${timestamp},v1=${digest}` },
		body,
	};
}

/**
 * Discord: an Ed25519 signature (hex) of `<timestamp><body>` in X-Signature-Ed25519, the
 * timestamp in X-Signature-Timestamp, as its interactions documentation describes. Discord
 * publishes no signer (its library verifies): `app` is a key pair made by `publicKeySender`.
 */
export function discordDelivery(
	app,
	{ body = fixture('discord-application_command'), timestamp = unixNow() } = {},
) {
	return {
		headers: {
			...app.headers(body, timestamp),
			'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
		},
		body,
	};
}

/** SendGrid's body: its events as a JSON array, one per line ending in CRLF, as its library's tests show. */
export const sendgridBody = (events = JSON.parse(fixture('sendgrid-events'))) =>
	`${JSON.stringify(events).split('},{').join('},\r\n{')}\r\n`;

/**
 * SendGrid's Event Webhook: an ECDSA P-256 SHA-256 signature (base64 DER) of `<timestamp><body>`,
 * in X-Twilio-Email-Event-Webhook-Signature and -Timestamp. SendGrid publishes no signer (its
 * library verifies): `account` is a key pair made by `publicKeySender`.
 */
export function sendgridDelivery(account, { body = sendgridBody(), timestamp = unixNow() } = {}) {
	return {
		headers: { ...account.headers(body, timestamp), 'user-agent': 'SendGrid Event API' },
		body,
	};
}

/**
 * Square publishes no signer (its library verifies): signed as its documentation says, the base64
 * HMAC-SHA256 of the notification URL followed by the body, keyed with the signature key as text.
 */
export function squareDelivery({
	secret = SECRETS.square,
	url = PUBLIC_URLS.square,
	body = fixture('square-payment.created'),
} = {}) {
	const signature = (algorithm) =>
		createHmac(algorithm, secret)
			.update(url + body)
			.digest('base64');
	return {
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'Square Connect v2',
			'square-environment': 'Production',
			'square-initial-delivery-timestamp': new Date().toISOString(),
			'square-retry-number': '0',
			'x-square-hmacsha256-signature': signature('sha256'),
			// The legacy HMAC-SHA1 signature, still sent beside it.
			'x-square-signature': signature('sha1'),
		},
		body,
		url,
	};
}

/**
 * HubSpot: its library (`Signature.getSignature`) writes the v3 signature over the method, the
 * URL, the body and the time in milliseconds; the v1 signature it also sends is a SHA-256 of the
 * client secret and the body.
 */
export function hubspotDelivery({
	secret = SECRETS.hubspot,
	url = PUBLIC_URLS.hubspot,
	body = fixture('hubspot-contact.creation'),
	timestamp = Date.now(),
	method = 'POST',
} = {}) {
	const sign = (version) =>
		HubSpotSignature.getSignature(method, version, {
			clientSecret: secret,
			url,
			requestBody: body,
			timestamp,
		});
	return {
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
			'X-HubSpot-Signature': sign('v1'),
			'X-HubSpot-Signature-Version': 'v1',
			'X-HubSpot-Signature-v3': sign('v3'),
			'X-HubSpot-Request-Timestamp': String(timestamp),
		},
		body,
		url,
	};
}

/**
 * Twilio, a form webhook (a message status callback): its library
 * (`getExpectedTwilioSignature`) signs the URL followed by the fields sorted by name.
 */
export function twilioFormDelivery({
	secret = SECRETS.twilio,
	url = PUBLIC_URLS.twilio,
	fields = JSON.parse(fixture('twilio-message-status')),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			'User-Agent': 'TwilioProxy/1.1',
			'X-Twilio-Signature': twilio.getExpectedTwilioSignature(secret, url, fields),
		},
		body: new URLSearchParams(fields).toString(),
		url,
		fields,
	};
}

/**
 * Twilio, a JSON webhook (an Event Streams sink): Twilio calls the URL with the body's SHA-256
 * (`getExpectedBodyHash`) added as `bodySHA256`, and its library signs that URL alone.
 */
export function twilioJsonDelivery({
	secret = SECRETS.twilio,
	url = PUBLIC_URLS.twilio,
	body = fixture('twilio-event-streams'),
} = {}) {
	const called = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${twilio.getExpectedBodyHash(body)}`;
	return {
		headers: {
			'Content-Type': 'application/json',
			'X-Twilio-Signature': twilio.getExpectedTwilioSignature(secret, called, null),
		},
		body,
		url: called,
	};
}
