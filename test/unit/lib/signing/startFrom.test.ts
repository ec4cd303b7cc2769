import { createHmac } from 'node:crypto';

import {
	presetWithOverrides,
	schemeFromParameters,
	START_FROM_PRESETS,
	type SchemeParameters,
} from '../../../../lib/signing/fromParameters';
import { profileOf, SENDER_PROFILES, type SignatureScheme } from '../../../../lib/signing/schemes';
import { verifyWebhook } from '../../../../lib/signing/verify';
import type { HmacProfile } from '../../../../lib/signing/profile';

/** Every Custom HMAC field filled in, as a user may have saved them before Start From existed. */
const FILLED: SchemeParameters = {
	scheme: 'customHmac',
	signatureHeader: 'X-Signature-Custom',
	algorithm: 'sha512',
	encoding: 'base64',
	prefix: 'v2=',
	timestampHeader: 'X-Sent-At',
	idHeader: 'X-Delivery',
	secretEncoding: 'hex',
};

/** Fields as the editor leaves them while a preset is chosen and nothing is filled in. */
const UNFILLED: SchemeParameters = {
	scheme: 'customHmac',
	signatureHeader: '',
	algorithm: 'preset',
	encoding: 'preset',
	prefix: '',
	timestampHeader: '',
	idHeader: '',
	secretEncoding: 'preset',
};

function profileFrom(parameters: SchemeParameters, nodeVersion = 2): HmacProfile {
	const scheme = schemeFromParameters(parameters, nodeVersion) as SignatureScheme;
	const profile = profileOf(scheme);
	if (profile.kind !== 'hmac') throw new Error(`expected an HMAC profile, got ${profile.kind}`);
	return profile;
}

describe('Custom HMAC without a preset to start from', () => {
	const today = schemeFromParameters({ scheme: 'customHmac' }, 2);
	const filledToday = schemeFromParameters(FILLED, 2);

	it.each(['none', '', undefined, 'unknown', 'gitlab', 'discord', 'meta', 'customHmac', 'token'])(
		'reads Start From %p as starting from nothing, exactly as before',
		(startFrom) => {
			expect(schemeFromParameters({ scheme: 'customHmac', startFrom }, 2)).toEqual(today);
			expect(schemeFromParameters({ ...FILLED, startFrom }, 2)).toEqual(filledToday);
		},
	);

	it('keeps its own defaults for the empty fields', () => {
		expect(today).toEqual({
			kind: 'customHmac',
			signatureHeader: 'x-signature',
			algorithm: 'sha256',
			encoding: 'hex',
			prefix: undefined,
			timestampHeader: undefined,
			idHeader: undefined,
			secretEncoding: 'text',
		});
	});

	it('ignores Start From on a version 1 node, which reads every secret one way', () => {
		const legacy = schemeFromParameters({ ...FILLED, startFrom: 'stripe' }, 1);
		expect(legacy).toEqual(schemeFromParameters(FILLED, 1));
		expect(legacy).toMatchObject({ kind: 'customHmac', secretEncoding: 'whsecOrText' });
	});
});

describe('Custom HMAC started from a preset', () => {
	it('offers the HMAC presets, but Meta whose URL check needs its own GET route', () => {
		expect(START_FROM_PRESETS).toContain('stripe');
		expect(START_FROM_PRESETS).toContain('slack');
		expect(START_FROM_PRESETS).toContain('standardWebhooks');
		expect(START_FROM_PRESETS).not.toContain('meta');
		for (const name of ['gitlab', 'telegram', 'discord', 'sendgrid'])
			expect(START_FROM_PRESETS).not.toContain(name);
		for (const name of START_FROM_PRESETS) expect(SENDER_PROFILES[name].kind).toBe('hmac');
	});

	it.each(START_FROM_PRESETS)('is %s itself, renamed, while no field is filled in', (name) => {
		const preset = SENDER_PROFILES[name];
		const profile = profileFrom({ ...UNFILLED, startFrom: name });
		expect(profile).toEqual({ ...preset, label: `Custom HMAC from ${preset.label}` });
		expect(profileFrom({ scheme: 'customHmac', startFrom: name })).toEqual(profile);
	});

	it('takes each field filled in instead of the preset’s, headers replacing its aliases', () => {
		const profile = profileFrom({ ...FILLED, startFrom: 'standardWebhooks' });
		const preset = SENDER_PROFILES.standardWebhooks;
		expect(profile).toEqual({
			...preset,
			label: 'Custom HMAC from Standard Webhooks',
			algorithm: 'sha512',
			secretEncoding: 'hex',
			signature: {
				headers: ['X-Signature-Custom'],
				encoding: 'base64',
				format: { kind: 'entries', separator: 'space', prefix: 'v2=' },
			},
			timestampHeaders: ['X-Sent-At'],
			idHeaders: ['X-Delivery'],
		});
	});

	it('keeps what no field sets: the signed content, where the type and id are read, the handshake, the tolerance', () => {
		const slack = profileFrom({ ...FILLED, startFrom: 'slack' });
		expect(slack.signedContent).toBe('v0:{timestamp}:{body}');
		expect(slack.typeFields).toEqual(SENDER_PROFILES.slack.typeFields);
		expect(slack.idFields).toEqual(SENDER_PROFILES.slack.idFields);
		expect(slack.handshake).toEqual(SENDER_PROFILES.slack.handshake);
		expect(profileFrom({ ...FILLED, startFrom: 'paddle' }).toleranceSeconds).toBe(5);
		const github = profileFrom({ ...FILLED, startFrom: 'github' });
		expect(github.typeHeaders).toEqual(['X-GitHub-Event']);
		expect(github.otherSignatureHeaders).toEqual(['X-Hub-Signature']);
	});

	it('keeps a preset’s body-only signature: a timestamp header names where it is read, never adds it', () => {
		const github = profileFrom({ ...FILLED, startFrom: 'github' });
		expect(github.signedContent).toBe('{body}');
		expect(github.timestampHeaders).toBeUndefined();
	});

	it('keeps the t=…,v1=… pairs of a preset that has them: there is no prefix to replace', () => {
		const stripe = profileFrom({ ...UNFILLED, startFrom: 'stripe', prefix: 'v2=' });
		expect(stripe.signature.format).toEqual(SENDER_PROFILES.stripe.signature.format);
	});

	it('reads the header as one entry when a new prefix holds what the preset splits at', () => {
		const format = (startFrom: string, prefix: string) =>
			profileFrom({ ...UNFILLED, startFrom, prefix }).signature.format;
		expect(format('github', 'sha256,')).toEqual({
			kind: 'entries',
			separator: 'none',
			prefix: 'sha256,',
		});
		expect(format('github', 'sig=')).toEqual({
			kind: 'entries',
			separator: 'spaceOrComma',
			prefix: 'sig=',
		});
		expect(format('standardWebhooks', 'v2,')).toMatchObject({ separator: 'space' });
		expect(format('standardWebhooks', 'HMAC SHA256=')).toMatchObject({ separator: 'none' });
	});

	it('merges into a plain profile, without the parameters', () => {
		const merged = presetWithOverrides(SENDER_PROFILES.shopify, { signatureHeader: 'X-Fork-Hmac' });
		expect(merged.signature.headers).toEqual(['X-Fork-Hmac']);
		expect(merged.typeHeaders).toEqual(['X-Shopify-Topic']);
	});
});

describe('a fork of Stripe’s scheme under another header, verified by the one engine', () => {
	const shared = 'whsec_forked0value0as0the0sender0shows0it';
	const body = '{"id":"evt_1","type":"invoice.paid"}';
	const now = 1_700_000_000;
	const signed = `t=${now},v1=${createHmac('sha256', shared).update(`${now}.${body}`).digest('hex')}`;
	const scheme = schemeFromParameters(
		{ ...UNFILLED, startFrom: 'stripe', signatureHeader: 'Fork-Signature' },
		2,
	) as SignatureScheme;
	const verify = (headers: Record<string, string>) =>
		verifyWebhook({ scheme, headers, body, secrets: [shared], now });

	it('accepts the renamed header', () => {
		expect(verify({ 'fork-signature': signed })).toMatchObject({ ok: true });
	});

	it('refuses the preset’s own header, which the fork no longer reads', () => {
		expect(verify({ 'stripe-signature': signed })).toMatchObject({ ok: false });
	});
});
