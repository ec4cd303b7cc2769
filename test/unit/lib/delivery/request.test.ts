import { Webhook } from 'standardwebhooks';

import {
	reservedHeaderNames,
	signedRequest,
	USER_AGENT,
	type Signing,
} from '../../../../lib/delivery/request';
import { verifyWebhook } from '../../../../lib/signing/verify';
import type { SignableScheme } from '../../../../lib/signing/schemes';
import packageJson from '../../../../package.json';
import { whsec } from '../../../support/events.cjs';

const SECRET = whsec('notify unit test secret, 32 byt');
const destination = { url: 'https://receiver.example/hooks', headers: { 'X-Api-Key': 'k1' } };
const event = {
	id: 'evt_42',
	body: '{"type":"order.created","timestamp":"2026-11-23T10:00:00.000Z","data":{"name":"Zoë"}}',
};
const NOW = 1795428000;
const signedWith = (scheme: SignableScheme): Signing => ({ scheme, secret: SECRET });

describe('USER_AGENT', () => {
	it("carries the package's current version", () => {
		expect(USER_AGENT).toBe(`n8n-nodes-flow-webhooks/${packageJson.version}`);
	});
});

describe('reservedHeaderNames', () => {
	it.each<[string, Signing, string[]]>([
		['unsigned', null, []],
		[
			'Standard Webhooks',
			signedWith({ kind: 'standardWebhooks' }),
			['webhook-id', 'webhook-timestamp', 'webhook-signature'],
		],
		['GitHub', signedWith({ kind: 'github' }), ['x-hub-signature-256', 'x-github-delivery']],
		['Stripe', signedWith({ kind: 'stripe' }), ['stripe-signature']],
		[
			'custom HMAC',
			signedWith({
				kind: 'customHmac',
				signatureHeader: 'X-Sig',
				algorithm: 'sha512',
				encoding: 'base64',
				timestampHeader: 'X-Ts',
				idHeader: 'X-Id',
			}),
			['x-sig', 'x-ts', 'x-id'],
		],
	])(
		'covers Content-Type, User-Agent and the %s signature headers',
		(_, signing, signatureHeaders) => {
			expect(reservedHeaderNames(signing).sort()).toEqual(
				['content-type', 'user-agent', ...signatureHeaders].sort(),
			);
		},
	);
});

describe('signedRequest', () => {
	it('sends the serialised body untouched, as JSON, with the extra headers and the user agent', () => {
		const request = signedRequest(destination, event, null, NOW);
		expect(request).toEqual({
			url: destination.url,
			body: event.body,
			headers: { 'X-Api-Key': 'k1', 'content-type': 'application/json', 'user-agent': USER_AGENT },
		});
	});

	it('signs so that the Standard Webhooks reference library verifies the exact body', () => {
		const now = Math.floor(Date.now() / 1000);
		const request = signedRequest(
			destination,
			event,
			signedWith({ kind: 'standardWebhooks' }),
			now,
		);
		expect(request.headers['webhook-id']).toBe('evt_42');
		expect(request.headers['webhook-timestamp']).toBe(String(now));
		expect(new Webhook(SECRET).verify(request.body, request.headers)).toEqual(
			JSON.parse(event.body),
		);
		expect(() =>
			new Webhook(SECRET).verify(request.body.replace('Zoë', 'Zoe'), request.headers),
		).toThrow();
	});

	it.each<[string, SignableScheme]>([
		['GitHub', { kind: 'github' }],
		['Stripe', { kind: 'stripe' }],
		[
			'custom HMAC',
			{
				kind: 'customHmac',
				signatureHeader: 'x-sig',
				algorithm: 'sha256',
				encoding: 'hex',
				prefix: 'sha256=',
				timestampHeader: 'x-ts',
			},
		],
	])('signs %s style so that our own verifier accepts it', (_, scheme) => {
		const request = signedRequest(destination, event, signedWith(scheme), NOW);
		expect(
			verifyWebhook({
				scheme,
				headers: request.headers,
				body: request.body,
				secrets: [SECRET],
				now: NOW,
			}),
		).toMatchObject({ ok: true });
	});

	it('signs every attempt afresh: same id and body, new timestamp', () => {
		const signing = signedWith({ kind: 'standardWebhooks' });
		const first = signedRequest(destination, event, signing, NOW);
		const retry = signedRequest(destination, event, signing, NOW + 90);
		expect(retry.body).toBe(first.body);
		expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
		expect(retry.headers['webhook-timestamp']).toBe(String(NOW + 90));
		expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
	});

	it('never exposes the secret in the request', () => {
		const request = signedRequest(
			destination,
			event,
			signedWith({ kind: 'standardWebhooks' }),
			NOW,
		);
		expect(JSON.stringify(request)).not.toContain(SECRET.slice('whsec_'.length));
	});
});
