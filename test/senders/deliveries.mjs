// Deliveries as each sender makes them: its own library signs where it publishes one, with the
// secret shaped as the sender hands it out and the headers it sends. The sender suites and the
// end-to-end suite both send these.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
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
	// A Slack app's Signing Secret: 32 hex digits, used as text.
	slack: '8f3a1c9e4b7d2f6a0e5c8b1d9f4a7e2c',
	// A Meta app's App Secret: 32 hex digits, used as text.
	meta: 'c3f1e9a27b5d4086e1f2a3b4c5d6e7f8',
	// A Paddle notification destination's secret key, shaped as Paddle shows one; used as text.
	paddle: 'pdl_ntfset_01jeq4w1f5c8k2m6p9r3t7v0xz_Qm7Yt2Lk9Vd4Hs1Pb8Nc5Xw3Zr6Jg0Fa',
	// A Calendly signing key: whatever the user chose (here 32 random bytes in hex), used as text.
	calendly: '5d0f3b8e2a9c4f71b6e3d8a0c5f2e9b47a1d6c3f8e0b5a2d9c7f4e1b6a3d8c05',
	// An ElevenLabs webhook secret, used as text.
	elevenLabs: 'wsec_9f2c7e1a4b8d3f6a0c5e9b2d7f1a4c8e3b6d0f5a9c2e7b1d',
	// A Linear webhook signing secret, used as text.
	linear: 'lin_wh_Kq4Xz8Vn2Rt6Ym0Bw3Jd7Hf1Lp5Sc9Ga2Ue6Ni0Tk4Ov8',
	// Secrets the user types (Typeform, Lemon Squeezy, Cal.com), an app's client secret
	// (Intercom) and the one WooCommerce fills in: all used as text.
	typeform: 'tf-webhook-secret-7Hq2Lm9Xc4Vb',
	intercom: '5e2b8d1f9c3a7e4b0d6f2a8c1e5b9d3f7a0c4e8b',
	lemonSqueezy: 'ls-signing-secret-K8v3Qz',
	wooCommerce: 'Zf<J;1Xr)wP/0p~Yq@:3cTmV^8!dGs_uL,e9Ha',
	calCom: 'cal-webhook-secret-R4n7Wy2Kp',
	// The secret_token given to setWebhook: 1 to 256 of A-Z, a-z, 0-9, _ and -.
	telegram: 'tg_Secret-Token_9fK2mQ7xLp4Vw8Rz',
	// A Zoom app's Secret Token: 22 URL-safe base64 characters, used as text.
	zoom: 'Rk7vQ2xL9mTz4Wp1Hc8NaY',
	// A Mailgun HTTP webhook signing key, shaped as its API returns one ("key-" and 32 hex digits), used as text.
	mailgun: 'key-3c1f9a7e5b2d8406c9e1f3a5b7d9e2c4',
	// The transport.secret an app chose for its EventSub subscription: 10 to 100 ASCII characters.
	twitch: 'evsub-secret-Tq8Lm3Xz7Vb1Nc5K',
	// A Box app's Primary and Secondary Keys: 32 letters and digits each, used as text.
	boxPrimary: 'Wq3XvT7bL9mKz2Rc8NdY4Hf6Jp1Sg0Ea',
	boxSecondary: 'Ub5Nk8Qe2Zr7Lw4Tx9Vm1Cj6Hy3Fs0Pd',
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
	return {
		headers: {
			'Content-Type': 'application/json',
			'Mux-Signature': timedSignature(secret, body, timestamp, 'v1'),
		},
		body,
	};
}

/** A slash command as Slack posts it: a form, signed as it is sent. */
export const SLACK_SLASH_COMMAND = new URLSearchParams({
	token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
	team_id: 'T0661JX4P3R',
	team_domain: 'n8n-test',
	channel_id: 'C0LAN2Q65',
	channel_name: 'releases',
	user_id: 'U061F7AUR',
	user_name: 'ada',
	command: '/deploy',
	text: 'web-app to production',
	api_app_id: 'A0B2C3D4E5F',
	response_url: 'https://hooks.slack.com/commands/T0661JX4P3R/8162947518/Yq3LtZ9pWc1Rk0dVn6Hs',
	trigger_id: '8162947518.6210651594.5c1d4f9e0a7b2c8d3e6f1a9b0c7d4e2f',
}).toString();

/**
 * An interaction (a button clicked) as Slack posts it: a form whose one field, `payload`, is the
 * interaction as compact JSON, signed as it is sent.
 */
export const SLACK_INTERACTION = new URLSearchParams({
	payload: JSON.stringify(JSON.parse(fixture('slack-block_actions'))),
}).toString();

/**
 * Slack publishes no signer (Bolt verifies): signed as its documentation says, `v0=` and the hex
 * HMAC-SHA256 of `v0:<time>:<body>` keyed with the Signing Secret as text. A JSON event by default;
 * `form` sends the body as a form, as slash commands and interactivity are.
 */
export function slackDelivery({
	secret = SECRETS.slack,
	body = fixture('slack-event_callback.app_mention'),
	form = false,
	timestamp = unixNow(),
} = {}) {
	const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
	return {
		headers: {
			'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
			'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
			'X-Slack-Request-Timestamp': String(timestamp),
			'X-Slack-Signature': `v0=${digest}`,
		},
		body,
	};
}

/**
 * Meta publishes no library for this: signed as its documentation says ("Webhooks › Getting
 * Started › Validate Payloads", developers.facebook.com/docs/graph-api/webhooks/getting-started),
 * the HMAC of the body as sent (non-ASCII escaped as \uXXXX) keyed with the App Secret as text:
 * `sha256=<hex>` in X-Hub-Signature-256, and the legacy `sha1=<hex>` in X-Hub-Signature.
 */
export function metaDelivery({
	secret = SECRETS.meta,
	body = fixture('meta-whatsapp-messages'),
} = {}) {
	const hex = (algorithm) => createHmac(algorithm, secret).update(body).digest('hex');
	return {
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'facebookexternalua',
			'X-Hub-Signature': `sha1=${hex('sha1')}`,
			'X-Hub-Signature-256': `sha256=${hex('sha256')}`,
		},
		body,
	};
}

/**
 * Paddle Billing publishes no signer (its SDK verifies): signed as its documentation says, the hex
 * HMAC-SHA256 of `<time>:<body>` keyed with the secret key as text, in `ts=<time>;h1=<hex>`.
 */
export function paddleDelivery({
	secret = SECRETS.paddle,
	body = fixture('paddle-customer.created'),
	timestamp = unixNow(),
} = {}) {
	const digest = createHmac('sha256', secret).update(`${timestamp}:${body}`).digest('hex');
	return {
		headers: {
			'Content-Type': 'application/json',
			'Paddle-Signature': `ts=${timestamp};h1=${digest}`,
			'Paddle-Version': '1',
		},
		body,
	};
}

/** The hex HMAC-SHA256 of `<time>.<body>` in `t=<time>,<key>=<hex>`: Stripe's format, as Mux, Calendly and ElevenLabs use it. */
function timedSignature(secret, body, timestamp, key) {
	const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
	return `t=${timestamp},${key}=${digest}`;
}

/** Calendly publishes no library: signed as its documentation (Webhook Signatures) says, `v1` in Calendly-Webhook-Signature. */
export function calendlyDelivery({
	secret = SECRETS.calendly,
	body = fixture('calendly-invitee.created'),
	timestamp = unixNow(),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Calendly-Webhook-Signature': timedSignature(secret, body, timestamp, 'v1'),
		},
		body,
	};
}

/** ElevenLabs publishes no signer (its SDK verifies): signed as its documentation says, `v0` in ElevenLabs-Signature. */
export function elevenLabsDelivery({
	secret = SECRETS.elevenLabs,
	body = fixture('elevenlabs-post_call_transcription'),
	timestamp = unixNow(),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'ElevenLabs-Signature': timedSignature(secret, body, timestamp, 'v0'),
		},
		body,
	};
}

/**
 * Linear publishes no signer (its SDK verifies): the body, with `webhookTimestamp` (ms) set to the
 * sending time (`sentAt`; null sends a body without one), signed as its documentation says: the hex HMAC-SHA256 of the body keyed with the
 * signing secret as text, in Linear-Signature; Linear-Delivery names the delivery.
 */
export function linearDelivery({
	secret = SECRETS.linear,
	sentAt = Date.now(),
	id = randomUUID(),
	payload = JSON.parse(fixture('linear-Issue.create')),
} = {}) {
	// JSON.stringify leaves out a field set to undefined.
	const body = JSON.stringify({ ...payload, webhookTimestamp: sentAt ?? undefined });
	return {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Linear-Delivery': id,
			'Linear-Signature': createHmac('sha256', secret).update(body).digest('hex'),
			'Linear-Timestamp': String(sentAt ?? Date.now()),
		},
		body,
	};
}

/** The HMAC of the body, encoded: what the senders that sign the body alone send. */
const bodyDigest = (algorithm, secret, body, encoding) =>
	createHmac(algorithm, secret).update(body).digest(encoding);

/** Typeform: `sha256=` and the base64 HMAC of the body, as its documentation (Secure your webhooks) says. */
export function typeformDelivery({
	secret = SECRETS.typeform,
	body = fixture('typeform-form_response'),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'Typeform Webhooks',
			'Typeform-Signature': `sha256=${bodyDigest('sha256', secret, body, 'base64')}`,
		},
		body,
	};
}

/** Intercom: `sha1=` and the hex HMAC-SHA1 of the body, keyed with the app's client secret. */
export function intercomDelivery({
	secret = SECRETS.intercom,
	body = fixture('intercom-conversation.user.created'),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'X-Hub-Signature': `sha1=${bodyDigest('sha1', secret, body, 'hex')}`,
		},
		body,
	};
}

/** Lemon Squeezy: the hex HMAC of the body in X-Signature, the event in X-Event-Name. */
export function lemonSqueezyDelivery({
	secret = SECRETS.lemonSqueezy,
	body = fixture('lemonsqueezy-order_created'),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'X-Event-Name': JSON.parse(body).meta.event_name,
			'X-Signature': bodyDigest('sha256', secret, body, 'hex'),
		},
		body,
	};
}

/** JSON as PHP's json_encode writes it (WordPress's wp_json_encode): `\/` and `\uXXXX` escapes. */
function phpJson(value) {
	return JSON.stringify(value)
		.replaceAll('/', '\\/')
		.replace(
			/[\u0080-\uffff]/g,
			(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
		);
}

/**
 * WooCommerce, as WC_Webhook::deliver sends it: the base64 HMAC-SHA256 of the JSON body keyed with
 * the webhook's secret, the topic, resource, event, webhook id and a delivery id in headers.
 */
export function wooCommerceDelivery({
	secret = SECRETS.wooCommerce,
	body = phpJson(JSON.parse(fixture('woocommerce-order.created'))),
	id = randomUUID().replaceAll('-', ''),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.9)',
			'X-WC-Webhook-Source': 'https://shop.example.com/',
			'X-WC-Webhook-Topic': 'order.created',
			'X-WC-Webhook-Resource': 'order',
			'X-WC-Webhook-Event': 'created',
			'X-WC-Webhook-Signature': bodyDigest('sha256', secret, body, 'base64'),
			'X-WC-Webhook-ID': '7',
			'X-WC-Webhook-Delivery-ID': id,
		},
		body,
	};
}

/** Cal.com, as its sendPayload does: the hex HMAC of the body in X-Cal-Signature-256. */
export function calComDelivery({
	secret = SECRETS.calCom,
	body = fixture('calcom-BOOKING_CREATED'),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/json',
			'X-Cal-Signature-256': bodyDigest('sha256', secret, body, 'hex'),
		},
		body,
	};
}

/**
 * Telegram signs nothing: as the Bot API documents for setWebhook, every update carries the
 * secret_token in X-Telegram-Bot-Api-Secret-Token.
 */
export function telegramDelivery({
	token = SECRETS.telegram,
	body = fixture('telegram-message'),
} = {}) {
	return {
		headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': token },
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
 * (`getExpectedTwilioSignature`) signs the URL followed by the fields sorted by name. Twilio names
 * each request in I-Twilio-Idempotency-Token, unsigned, and sends a retry with the same token.
 */
export function twilioFormDelivery({
	secret = SECRETS.twilio,
	url = PUBLIC_URLS.twilio,
	fields = JSON.parse(fixture('twilio-message-status')),
	idempotencyToken = randomUUID(),
} = {}) {
	return {
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			'I-Twilio-Idempotency-Token': idempotencyToken,
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

/**
 * Zoom publishes no signer (@zoom/rivet verifies): signed as its documentation says ("Webhooks ›
 * Verify webhook events"), `v0=` and the hex HMAC-SHA256 of `v0:<time>:<body>` keyed with the
 * Secret Token as text. Zoom sends compact JSON, which @zoom/rivet's check relies on: it hashes
 * the parsed body serialised again.
 */
export function zoomDelivery({
	secret = SECRETS.zoom,
	body = JSON.stringify(JSON.parse(fixture('zoom-meeting.started'))),
	timestamp = unixNow(),
} = {}) {
	const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
	return {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'user-agent': 'Zoom Marketplace/1.0a',
			'x-zm-request-timestamp': String(timestamp),
			'x-zm-signature': `v0=${digest}`,
		},
		body,
	};
}

/**
 * Mailgun publishes no signer (mailgun.js only calls its API): signed as its documentation says
 * ("Webhooks › Securing Webhooks"): the hex HMAC-SHA256 of the timestamp followed by the token,
 * keyed with the HTTP webhook signing key as text, posted in the body's `signature` object next
 * to the `event-data` it does not cover. A token is 50 random characters.
 */
export function mailgunDelivery({
	secret = SECRETS.mailgun,
	eventData = JSON.parse(fixture('mailgun-delivered')),
	timestamp = String(unixNow()),
	token = randomBytes(25).toString('hex'),
} = {}) {
	const signature = createHmac('sha256', secret).update(`${timestamp}${token}`).digest('hex');
	return {
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData }),
	};
}

/** An RFC 3339 time as Twitch writes it: UTC with nanoseconds. */
const twitchTime = (unixSeconds) =>
	new Date(unixSeconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1482913Z');

/**
 * Twitch publishes no signer (@twurple/eventsub-http verifies): signed as its documentation says
 * ("EventSub › Handling webhook events › Verifying the event message", dev.twitch.tv), `sha256=`
 * and the hex HMAC-SHA256 of the message id, the timestamp as sent and the body, keyed with the
 * subscription's secret as text. A `channel.follow` notification by default.
 */
export function twitchDelivery({
	secret = SECRETS.twitch,
	body = fixture('twitch-channel.follow'),
	type = 'notification',
	id = randomUUID(),
	timestamp = twitchTime(unixNow()),
} = {}) {
	const digest = createHmac('sha256', secret).update(`${id}${timestamp}${body}`).digest('hex');
	return {
		headers: {
			'Content-Type': 'application/json',
			'Twitch-Eventsub-Message-Id': id,
			'Twitch-Eventsub-Message-Retry': '0',
			'Twitch-Eventsub-Message-Type': type,
			'Twitch-Eventsub-Message-Signature': `sha256=${digest}`,
			'Twitch-Eventsub-Message-Timestamp': timestamp,
			'Twitch-Eventsub-Subscription-Type': 'channel.follow',
			'Twitch-Eventsub-Subscription-Version': '2',
		},
		body,
	};
}

/** An RFC 3339 time as Box writes it: whole seconds in its Pacific offset. */
const boxTime = (unixSeconds) =>
	new Date((unixSeconds - 7 * 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, '-07:00');

/**
 * Box publishes no signer (box-node-sdk verifies): signed as its documentation says ("Webhooks ›
 * Signatures › Manual verification", developer.box.com), the base64 HMAC-SHA256 of the body
 * followed by BOX-DELIVERY-TIMESTAMP, once with each signature key as text. `secondary: null`
 * leaves BOX-SIGNATURE-SECONDARY out.
 */
export function boxDelivery({
	primary = SECRETS.boxPrimary,
	secondary = SECRETS.boxSecondary,
	body = fixture('box-FILE.UPLOADED'),
	timestamp = boxTime(unixNow()),
} = {}) {
	const sign = (key) => createHmac('sha256', key).update(body).update(timestamp).digest('base64');
	return {
		headers: {
			'Content-Type': 'application/json; charset=UTF-8',
			'BOX-DELIVERY-ID': randomUUID(),
			'BOX-DELIVERY-TIMESTAMP': timestamp,
			'BOX-SIGNATURE-ALGORITHM': 'HmacSHA256',
			'BOX-SIGNATURE-PRIMARY': sign(primary),
			...(secondary === null ? {} : { 'BOX-SIGNATURE-SECONDARY': sign(secondary) }),
			'BOX-SIGNATURE-VERSION': '1',
		},
		body,
	};
}
