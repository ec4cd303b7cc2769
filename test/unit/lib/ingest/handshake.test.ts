import { createHmac } from 'node:crypto';

import {
	handleIngest,
	type IngestConfig,
	type IngestRequest,
} from '../../../../lib/ingest/handleIngest';
import {
	reachabilityCheckAnswer,
	signedBodyHandshake,
	verifyTokenHandshake,
} from '../../../../lib/ingest/handshake';
import type { Handshake } from '../../../../lib/signing/profile';
import { SENDER_PROFILES } from '../../../../lib/signing/schemes';
import { emptyLedger } from '../../../../lib/store/dedup';

const NOW = 1_700_000_000;
const SECRET = 'slack signing secret';

const slackCheck = JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' });

const config: IngestConfig = {
	verification: { scheme: { kind: 'slack' }, secrets: [SECRET], toleranceSeconds: 300 },
	maxBodyBytes: 1024,
	normalize: { typeField: 'auto', idField: 'id', strictFlowEvents: false },
	filter: { types: ['never.this'], patterns: [] },
	dedup: { retentionSeconds: 3600, maxEntries: 100 },
};

function slackRequest(body: string, secret = SECRET) {
	const digest = createHmac('sha256', secret).update(`v0:${NOW}:${body}`).digest('hex');
	return {
		headers: {
			'content-type': 'application/json',
			'x-slack-request-timestamp': String(NOW),
			'x-slack-signature': `v0=${digest}`,
		},
		rawBody: Buffer.from(body),
	};
}

const ingest = (request: IngestRequest, settings = config) =>
	handleIngest(request, settings, { now: NOW, ledger: emptyLedger(), newId: () => 'new' });

describe('a sender’s handshake in the ingest', () => {
	it('answers a verified handshake as the profile says, before any event filter or id check', () => {
		expect(ingest(slackRequest(slackCheck))).toEqual({
			kind: 'handshake',
			answer: { status: 200, body: { challenge: 'c-123' } },
		});
	});

	it('verifies the signature first: a forged handshake is refused like any request', () => {
		const outcome = ingest(slackRequest(slackCheck, 'another secret'));
		expect(outcome).toMatchObject({ kind: 'rejected', answer: { status: 401 } });
	});

	it('answers nothing as a handshake when verification is off', () => {
		const outcome = ingest(slackRequest(slackCheck), { ...config, verification: null });
		expect(outcome.kind).toBe('ignored');
	});

	it('answers nothing as a handshake for a preset without one', () => {
		const outcome = ingest(slackRequest(slackCheck), {
			...config,
			verification: {
				scheme: {
					kind: 'customHmac',
					signatureHeader: 'x-slack-signature',
					algorithm: 'sha256',
					encoding: 'hex',
					prefix: 'v0=',
				},
				secrets: [SECRET],
				toleranceSeconds: 300,
			},
		});
		expect(outcome.kind).not.toBe('handshake');
	});
});

describe('an unsigned reachability check (Slack’s ssl_check)', () => {
	const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
	const check = (body: string, headers: Record<string, string> = FORM) =>
		reachabilityCheckAnswer(SENDER_PROFILES.slack, headers, Buffer.from(body));
	const unsigned = (body: string, headers: Record<string, string> = FORM) => ({
		headers,
		rawBody: Buffer.from(body),
	});

	it('is a bare 200 for a form whose field holds the value, whatever else it carries', () => {
		expect(check('ssl_check=1&token=t')).toEqual({ status: 200 });
		expect(check('token=t&ssl_check=1&command=%2Fdeploy')).toEqual({ status: 200 });
		expect(
			check('ssl_check=1', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }),
		).toEqual({
			status: 200,
		});
	});

	it('is no check otherwise: another value, the field twice, JSON, or a preset without one', () => {
		expect(check('ssl_check=0')).toBeUndefined();
		expect(check('ssl_check=1&ssl_check=1')).toBeUndefined();
		expect(check('{"ssl_check":"1"}', { 'content-type': 'application/json' })).toBeUndefined();
		expect(
			reachabilityCheckAnswer(SENDER_PROFILES.stripe, FORM, Buffer.from('ssl_check=1')),
		).toBeUndefined();
	});

	it('is answered before verification and starts nothing; anything else unsigned is refused', () => {
		expect(ingest(unsigned('ssl_check=1&token=t'))).toEqual({
			kind: 'handshake',
			answer: { status: 200 },
		});
		expect(ingest(unsigned('ssl_check=0&command=%2Fdeploy'))).toMatchObject({
			kind: 'rejected',
			answer: { status: 401 },
		});
	});

	it('is an event like any other when verification is off', () => {
		const outcome = ingest(unsigned('ssl_check=1&type=x'), { ...config, verification: null });
		expect(outcome.kind).toBe('ignored');
	});
});

describe('signedBodyHandshake', () => {
	const ping: Handshake = {
		kind: 'signedBody',
		field: 'type',
		equals: 1,
		reply: { type: { literal: 1 }, echoed: { fromField: 'nested.nonce' } },
	};
	const profile = { ...SENDER_PROFILES.discord, handshake: ping };

	it('replies with literals and the body’s own fields, dotted paths reaching into objects', () => {
		expect(signedBodyHandshake(profile, { type: 1, nested: { nonce: 'n' } }, [])).toEqual({
			status: 200,
			body: { type: 1, echoed: 'n' },
		});
	});

	it('leaves every other body to the events: another value, its string form, arrays, no body', () => {
		for (const body of [{ type: 2 }, { type: '1' }, [{ type: 1 }], null, 'type', {}]) {
			expect(signedBodyHandshake(profile, body, [])).toBeUndefined();
		}
		expect(signedBodyHandshake(SENDER_PROFILES.stripe, { type: 1 }, [])).toBeUndefined();
	});

	it('reads only the body’s own field, never one it inherits', () => {
		const inherited = { ...profile, handshake: { ...ping, field: 'constructor', equals: 'x' } };
		expect(signedBodyHandshake(inherited, {}, [])).toBeUndefined();
	});

	it('is what the Slack and Discord presets declare', () => {
		expect(signedBodyHandshake(SENDER_PROFILES.slack, JSON.parse(slackCheck), [SECRET])).toEqual({
			status: 200,
			body: { challenge: 'c-123' },
		});
		expect(signedBodyHandshake(SENDER_PROFILES.discord, { type: 1, id: '9' }, [])).toEqual({
			status: 200,
			body: { type: 1 },
		});
	});

	describe('Zoom’s endpoint.url_validation', () => {
		// A value Zoom makes up for each check, nothing secret.
		const nonce = 'qgg8vlvZRS6UYooatFL8Aw';
		const check = { event: 'endpoint.url_validation', payload: { plainToken: nonce } };
		const hmac = (secret: string) => createHmac('sha256', secret).update(nonce).digest('hex');

		it('answers the plainToken and its hex HMAC keyed with the current secret', () => {
			expect(signedBodyHandshake(SENDER_PROFILES.zoom, check, ['current', 'previous'])).toEqual({
				status: 200,
				body: { plainToken: nonce, encryptedToken: hmac('current') },
			});
		});

		it('takes a validation without a plainToken as no handshake', () => {
			for (const payload of [{}, { plainToken: 7 }, undefined]) {
				expect(
					signedBodyHandshake(SENDER_PROFILES.zoom, { ...check, payload }, ['current']),
				).toBeUndefined();
			}
		});
	});
});

describe('verifyTokenHandshake', () => {
	const meta = SENDER_PROFILES.meta.handshake as Extract<Handshake, { kind: 'verifyToken' }>;
	const query = (token: string, mode = 'subscribe', challenge = '1158201444') =>
		new URLSearchParams({
			'hub.mode': mode,
			'hub.verify_token': token,
			'hub.challenge': challenge,
		}).toString();

	it('answers the challenge as plain text when the token is the Verify Token', () => {
		expect(verifyTokenHandshake(meta, query('my token'), 'my token')).toEqual({
			kind: 'handshake',
			answer: {
				status: 200,
				body: '1158201444',
				headers: { 'Content-Type': 'text/plain; charset=utf-8' },
			},
		});
	});

	it('ignores spaces around the Verify Token typed in the node', () => {
		expect(verifyTokenHandshake(meta, query('my token'), ' my token ').kind).toBe('handshake');
	});

	it('refuses another token, another mode, a missing challenge and an empty Verify Token with 403', () => {
		for (const [sent, expected] of [
			[query('guessed'), 'my token'],
			[query('my token', 'unsubscribe'), 'my token'],
			['hub.mode=subscribe&hub.verify_token=my+token', 'my token'],
			[query(''), ''],
			['', ''],
		]) {
			const outcome = verifyTokenHandshake(meta, sent, expected);
			expect(outcome).toMatchObject({
				kind: 'rejected',
				answer: { status: 403, body: { error: 'verify_token_mismatch' } },
			});
		}
	});

	it('never echoes the sent or the expected token in its refusal', () => {
		const outcome = verifyTokenHandshake(meta, query('guessed-secret'), 'expected-secret');
		expect(JSON.stringify(outcome)).not.toMatch(/secret/);
	});
});

describe('signedBodyHandshake: marked by a header, answered as text (Twitch’s callback check)', () => {
	const check = { challenge: 'pogchamp-kappa', subscription: { type: 'channel.follow' } };
	const marked = (type: string) => ({ 'twitch-eventsub-message-type': type });

	it('answers the challenge alone as text/plain when the header names the check', () => {
		expect(
			signedBodyHandshake(
				SENDER_PROFILES.twitch,
				check,
				[],
				marked('webhook_callback_verification'),
			),
		).toEqual({
			status: 200,
			body: 'pogchamp-kappa',
			headers: { 'Content-Type': 'text/plain; charset=utf-8' },
		});
	});

	it('leaves notifications, revocations and unmarked requests to the events, whatever their body', () => {
		for (const headers of [marked('notification'), marked('revocation'), {}]) {
			expect(signedBodyHandshake(SENDER_PROFILES.twitch, check, [], headers)).toBeUndefined();
		}
	});

	it('takes a marked check without a text challenge as no handshake', () => {
		for (const challenge of [undefined, { nested: true }]) {
			expect(
				signedBodyHandshake(
					SENDER_PROFILES.twitch,
					{ ...check, challenge },
					[],
					marked('webhook_callback_verification'),
				),
			).toBeUndefined();
		}
	});
});
