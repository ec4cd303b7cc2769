import * as crypto from 'node:crypto';

import { publicKeyProblem, signedByAny } from '../../../../lib/signing/publicKey';
import type { PublicKeyProfile } from '../../../../lib/signing/profile';
import { SENDER_PROFILES } from '../../../../lib/signing/schemes';
import { verifyWebhook } from '../../../../lib/signing/verify';
import { publicKeySender } from '../../../support/events.cjs';

// Counts the keys parsed, parsing them as node:crypto does.
jest.mock('node:crypto', () => {
	const actual = jest.requireActual<typeof crypto>('node:crypto');
	return { ...actual, createPublicKey: jest.fn(actual.createPublicKey) };
});

const DISCORD: PublicKeyProfile = SENDER_PROFILES.discord;
const SENDGRID: PublicKeyProfile = SENDER_PROFILES.sendgrid;
const NOW = 1_700_000_000;
const BODY = '[{"event":"delivered","sg_event_id":"ZGVsaXZlcmVk"}]\r\n';
const around = { before: `${NOW}`, after: '' };

const spki = (key: crypto.KeyObject) =>
	key.export({ format: 'der', type: 'spki' }).toString('base64');

describe('publicKeyProblem: the key as the sender shows it', () => {
	it("reads Discord's key, 64 hex characters, in either case and with spaces around", () => {
		const { publicKey } = publicKeySender('discord');
		expect(publicKeyProblem(publicKey, DISCORD)).toBeUndefined();
		expect(publicKeyProblem(` ${publicKey.toUpperCase()}\n`, DISCORD)).toBeUndefined();
	});

	it("reads SendGrid's verification key, base64 SPKI without PEM lines", () => {
		expect(publicKeyProblem(publicKeySender('sendgrid').publicKey, SENDGRID)).toBeUndefined();
	});

	it.each([
		['one character short', 'a'.repeat(63)],
		['not hexadecimal', 'g'.repeat(64)],
		["SendGrid's kind of key", publicKeySender('sendgrid').publicKey],
		['the Application ID', '1314159265358979323'],
	])('refuses as a Discord key: %s', (_case, text) => {
		expect(publicKeyProblem(text, DISCORD)).toMatch(/64 hexadecimal characters/);
	});

	it.each([
		['text that is not base64', 'not a key!'],
		['base64 that is no key', Buffer.from('no key in here').toString('base64')],
		[
			'a PEM with its lines',
			String(
				crypto
					.generateKeyPairSync('ec', { namedCurve: 'P-256' })
					.publicKey.export({ format: 'pem', type: 'spki' }),
			),
		],
		["Discord's kind of key", publicKeySender('discord').publicKey],
	])('refuses as a SendGrid key: %s', (_case, text) => {
		expect(publicKeyProblem(text, SENDGRID)).toMatch(/P-256 key/);
	});

	it.each([
		['an RSA key', spki(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)],
		['a P-384 key', spki(crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)],
		['an Ed25519 key', spki(crypto.generateKeyPairSync('ed25519').publicKey)],
	])('refuses %s in SubjectPublicKeyInfo form: another kind of key', (_case, text) => {
		expect(publicKeyProblem(text, SENDGRID)).toMatch(/another kind of key/);
	});

	it('parses each key text once, however often it is checked or used', () => {
		const parse = jest.mocked(crypto.createPublicKey);
		const account = publicKeySender('sendgrid');
		const headers = account.headers(BODY, NOW);
		const signature = Buffer.from(headers['x-twilio-email-event-webhook-signature'], 'base64');
		parse.mockClear();
		for (let request = 0; request < 20; request += 1) {
			expect(publicKeyProblem(account.publicKey, SENDGRID)).toBeUndefined();
			expect(signedByAny(SENDGRID, [account.publicKey], around, BODY, [signature])).toBe(true);
		}
		expect(parse).toHaveBeenCalledTimes(1);
	});

	it('keeps reading keys right once more keys than it keeps have been read', () => {
		const keys = Array.from({ length: 70 }, () => publicKeySender('discord'));
		for (const { publicKey } of [...keys, ...keys]) {
			expect(publicKeyProblem(publicKey, DISCORD)).toBeUndefined();
		}
	});
});

describe('signedByAny', () => {
	const app = publicKeySender('discord');
	const renewed = publicKeySender('discord');
	const body = '{"type":2,"id":"1317305871234567890"}';
	const signature = Buffer.from(app.headers(body, NOW)['x-signature-ed25519'], 'hex');

	it('accepts a signature by the current or the previous key', () => {
		expect(signedByAny(DISCORD, [app.publicKey], around, body, [signature])).toBe(true);
		expect(
			signedByAny(DISCORD, [renewed.publicKey, app.publicKey], around, body, [signature]),
		).toBe(true);
		expect(signedByAny(DISCORD, [renewed.publicKey], around, body, [signature])).toBe(false);
	});

	it('signs the bytes received: a Buffer body and its text agree, another body does not', () => {
		expect(signedByAny(DISCORD, [app.publicKey], around, Buffer.from(body), [signature])).toBe(
			true,
		);
		expect(signedByAny(DISCORD, [app.publicKey], around, `${body} `, [signature])).toBe(false);
		expect(
			signedByAny(DISCORD, [app.publicKey], { before: `${NOW + 1}`, after: '' }, body, [signature]),
		).toBe(false);
	});

	it('skips a key it cannot read and never throws on signature bytes', () => {
		expect(signedByAny(DISCORD, ['not a key', app.publicKey], around, body, [signature])).toBe(
			true,
		);
		for (const bytes of [Buffer.alloc(0), Buffer.alloc(3), Buffer.alloc(64), Buffer.alloc(72)]) {
			expect(signedByAny(DISCORD, [app.publicKey], around, body, [bytes])).toBe(false);
			expect(
				signedByAny(SENDGRID, [publicKeySender('sendgrid').publicKey], around, body, [bytes]),
			).toBe(false);
		}
	});
});

describe('verifyWebhook under a public-key scheme', () => {
	const account = publicKeySender('sendgrid');
	const verify = (headers: Record<string, string>, body = BODY, now = NOW) =>
		verifyWebhook({
			scheme: { kind: 'sendgrid' },
			headers,
			body,
			secrets: [account.publicKey],
			now,
		});

	it('accepts an ECDSA signature in DER, whatever its length, and reports the timestamp', () => {
		const lengths = new Set<number>();
		for (let delivery = 0; delivery < 40; delivery += 1) {
			const body = `${BODY}${' '.repeat(delivery)}`;
			const headers = account.headers(body, NOW);
			lengths.add(Buffer.from(headers['x-twilio-email-event-webhook-signature'], 'base64').length);
			expect(verify(headers, body)).toEqual({ ok: true, id: undefined, timestamp: NOW });
		}
		// DER writes r and s in as many bytes as they need: 70, 71 or 72 bytes for P-256.
		expect(lengths.size).toBeGreaterThan(1);
	});

	it('refuses a signature that is not base64 as malformed', () => {
		const headers = {
			...account.headers(BODY, NOW),
			'x-twilio-email-event-webhook-signature': '%%',
		};
		expect(verify(headers)).toMatchObject({ ok: false, reason: 'malformed_signature' });
	});

	it('applies the tolerance to the signed timestamp', () => {
		const headers = account.headers(BODY, NOW - 301);
		expect(verify(headers)).toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' });
		expect(verify(account.headers(BODY, NOW - 300)).ok).toBe(true);
	});

	it('refuses an Ed25519 signature that is not 64 bytes as malformed', () => {
		const app = publicKeySender('discord');
		const headers = { ...app.headers('{}', NOW), 'x-signature-ed25519': 'ab'.repeat(63) };
		expect(
			verifyWebhook({
				scheme: { kind: 'discord' },
				headers,
				body: '{}',
				secrets: [app.publicKey],
				now: NOW,
			}),
		).toMatchObject({ ok: false, reason: 'malformed_signature' });
	});
});

describe('public-key schemes: hostile header values', () => {
	const ROUNDS = 400;
	const senders = [
		['discord', 'x-signature-ed25519', 'x-signature-timestamp'],
		[
			'sendgrid',
			'x-twilio-email-event-webhook-signature',
			'x-twilio-email-event-webhook-timestamp',
		],
	] as const;

	it.each(senders)(
		'%s never throws and accepts no signature but the genuine one',
		(kind, signatureName, timestampName) => {
			const sender = publicKeySender(kind);
			const signed = sender.headers(BODY, NOW);
			const genuine = signed[signatureName];
			// Deterministic variations of the genuine signature and timestamp, then random text.
			const values = [
				'',
				' ',
				genuine.toUpperCase(),
				genuine.slice(1),
				`${genuine}${genuine}`,
				genuine.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
				...Array.from({ length: ROUNDS }, () =>
					crypto
						.randomBytes(1 + crypto.randomInt(90))
						.toString(crypto.randomInt(2) ? 'hex' : 'base64'),
				),
			];
			const problems: string[] = [];
			for (const value of values) {
				for (const headers of [
					{ ...signed, [signatureName]: value },
					{ ...signed, [timestampName]: value },
				]) {
					try {
						const result = verifyWebhook({
							scheme: { kind },
							headers,
							body: BODY,
							secrets: [sender.publicKey],
							now: NOW,
						});
						// Hex is read in either case (as discord-interactions reads it): the same bytes.
						const sameSignature =
							kind === 'discord'
								? headers[signatureName].toLowerCase() === genuine
								: headers[signatureName] === genuine;
						const same = sameSignature && headers[timestampName] === String(NOW);
						if (result.ok !== same)
							problems.push(`${result.ok ? 'accepted' : 'refused'} ${JSON.stringify(headers)}`);
					} catch (error) {
						problems.push(`threw ${String(error)} for ${JSON.stringify(headers)}`);
					}
				}
			}
			expect(problems.slice(0, 3)).toEqual([]);
		},
	);
});
