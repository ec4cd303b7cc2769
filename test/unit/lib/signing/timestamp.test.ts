import { createHmac } from 'node:crypto';

import type { HmacProfile } from '../../../../lib/signing/profile';
import { parseSignedMessage } from '../../../../lib/signing/signedMessage';
import { timestampSeconds } from '../../../../lib/signing/timestamp';
import { verifyWebhook } from '../../../../lib/signing/verify';

// 2024-05-01T12:00:00Z
const NOON = 1_714_564_800;

describe('timestampSeconds: RFC 3339', () => {
	it.each([
		['2024-05-01T12:00:00Z', NOON],
		['2024-05-01T12:00:00.123Z', NOON],
		['2024-05-01T12:00:00.999999999Z', NOON],
		['2024-05-01t12:00:00.5z', NOON],
		['2024-05-01 12:00:00Z', NOON],
		['2024-05-01T05:00:00-07:00', NOON],
		['2024-05-01T17:30:00.000001+05:30', NOON],
		['2024-02-29T00:00:00+00:00', 1_709_164_800],
	])('reads %s as whole Unix seconds', (text, seconds) => {
		expect(timestampSeconds(text, 'rfc3339')).toBe(seconds);
	});

	it.each([
		['2024-02-30T12:00:00Z'],
		['2023-02-29T12:00:00Z'],
		['2024-13-01T12:00:00Z'],
		['2024-05-01T24:00:00Z'],
		['2024-05-01T12:60:00Z'],
		['2024-05-01T12:00:60Z'],
		['2024-05-01T12:00:00+24:00'],
		['2024-05-01T12:00:00+05:60'],
		['2024-05-01T12:00:00'],
		['2024-05-01T12:00Z'],
		['2024-05-01T12:00:00.Z'],
		['2024-05-01'],
		['1714564800'],
		['Wed, 01 May 2024 12:00:00 GMT'],
		[' 2024-05-01T12:00:00Z'],
		[''],
	])('refuses %j', (text) => {
		expect(timestampSeconds(text, 'rfc3339')).toBeUndefined();
	});

	it('leaves the Unix units as they were', () => {
		expect(timestampSeconds(String(NOON), 'seconds')).toBe(NOON);
		expect(timestampSeconds(`${NOON}999`, 'milliseconds')).toBe(NOON);
		expect(timestampSeconds('2024-05-01T12:00:00Z', 'seconds')).toBeUndefined();
	});
});

describe('an RFC 3339 timestamp in the signature check', () => {
	const SECRET = 'rfc 3339 secret';
	const profile: HmacProfile = {
		kind: 'hmac',
		label: 'RFC 3339',
		secretEncoding: 'text',
		algorithm: 'sha256',
		signature: {
			headers: ['x-sig'],
			encoding: 'hex',
			format: { kind: 'entries', separator: 'none', prefix: 'sha256=' },
		},
		idHeaders: ['x-id'],
		timestampHeaders: ['x-time'],
		timestampUnit: 'rfc3339',
		signedContent: '{id}{timestamp}{body}',
	};
	const BODY = '{"ok":true}';
	const request = (time: string, signedTime = time) => ({
		'x-id': 'm-1',
		'x-time': time,
		'x-sig': `sha256=${createHmac('sha256', SECRET).update(`m-1${signedTime}${BODY}`).digest('hex')}`,
	});

	it('signs the text as sent, nanoseconds included, and compares it with the clock in seconds', () => {
		const time = '2024-05-01T12:00:00.123456789Z';
		const parsed = parseSignedMessage(profile, request(time), { body: BODY });
		if (!parsed.ok) throw new Error(parsed.message);
		expect(parsed.message.timestamp).toBe(NOON);
		expect(parsed.message.content.before).toBe(`m-1${time}`);
	});

	it('checks the signature over the text, not over a normalised time', () => {
		const verify = (headers: Record<string, string>, now = NOON) =>
			verifyWebhook({
				scheme: { kind: 'twitch' },
				headers,
				body: BODY,
				secrets: [SECRET],
				now,
			});
		const twitchRequest = (time: string, signedTime = time) => {
			const { 'x-id': id, 'x-time': sent, 'x-sig': sig } = request(time, signedTime);
			return {
				'twitch-eventsub-message-id': id,
				'twitch-eventsub-message-timestamp': sent,
				'twitch-eventsub-message-signature': sig,
			};
		};
		expect(verify(twitchRequest('2024-05-01T12:00:00.5Z'))).toMatchObject({ ok: true });
		expect(
			verify(twitchRequest('2024-05-01T12:00:00.5Z', '2024-05-01T12:00:00.500Z')),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		expect(verify(twitchRequest('2024-05-01T12:00:00Z'), NOON + 601)).toMatchObject({
			ok: false,
			reason: 'timestamp_out_of_tolerance',
		});
	});

	it('refuses an unreadable date-time as a missing timestamp, naming the format', () => {
		const parsed = parseSignedMessage(profile, request('2024-02-30T12:00:00Z'), { body: BODY });
		expect(parsed).toMatchObject({
			ok: false,
			reason: 'missing_timestamp',
			rawTimestamp: '2024-02-30T12:00:00Z',
			message: expect.stringContaining('is not a date-time in RFC 3339'),
		});
	});
});
