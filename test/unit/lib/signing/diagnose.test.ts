import { createHmac } from 'node:crypto';

import { explainRefusal, signatureFindings } from '../../../../lib/ingest/explainRefusal';
import { handleIngest, type IngestConfig } from '../../../../lib/ingest/handleIngest';
import { signWebhook } from '../../../../lib/signing/sign';
import { verifyWebhook } from '../../../../lib/signing/verify';
import type { HeaderBag } from '../../../../lib/http/headers';
import type { SignableScheme, SignatureScheme } from '../../../../lib/signing/schemes';
import { diagnoseSignatureFailure, type SignatureFinding } from '../../../../lib/signing/diagnose';
import { emptyLedger } from '../../../../lib/store/dedup';
import { publicKeySender, whsec } from '../../../support/events.cjs';

const NOW = 1_700_000_000;
const TOLERANCE = 300;
const CURRENT = whsec('current diagnosis secret, 32 b!');
const PREVIOUS = whsec('previous diagnosis secret 32 b!');
const PLAIN = 'c2hhcmVkIHBsYWluIHRleHQgc2VjcmV0IG9mIDMyIGI=';
const BODY = '{"type":"flow.start","data":{"step":1,"ok":true}}';

const STANDARD: SignableScheme = { kind: 'standardWebhooks' };
const CUSTOM: SignableScheme = {
	kind: 'customHmac',
	signatureHeader: 'X-Signature',
	algorithm: 'sha256',
	encoding: 'hex',
	timestampHeader: 'X-Timestamp',
};

interface Delivery {
	scheme?: SignableScheme;
	signedWith?: string;
	body?: string;
	signedBody?: string;
	timestamp?: number;
}

/** Headers and bytes of a delivery, signed with the project's own signer. */
function delivery({
	scheme = STANDARD,
	signedWith = CURRENT,
	body = BODY,
	signedBody = body,
	timestamp = NOW,
}: Delivery = {}): { headers: HeaderBag; body: Buffer } {
	const headers = signWebhook({
		scheme,
		secret: signedWith,
		body: signedBody,
		id: 'msg_1',
		timestamp,
	});
	return { headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(body) };
}

/** The node's verdict on a delivery, and what the diagnosis finds in it. */
function diagnose(
	sent: { headers: HeaderBag; body: Buffer },
	{ scheme = STANDARD, secrets = [CURRENT] }: { scheme?: SignatureScheme; secrets?: string[] } = {},
) {
	const received = { scheme, secrets, ...sent, now: NOW, toleranceSeconds: TOLERANCE };
	const verdict = verifyWebhook(received);
	if (verdict.ok) throw new Error('the delivery was accepted; a diagnosis needs a refusal');
	const findings = diagnoseSignatureFailure({ ...received, failure: verdict.reason });
	return { failure: verdict.reason, findings };
}

describe('diagnoseSignatureFailure', () => {
	describe("another scheme's headers", () => {
		it.each<[string, SignableScheme, SignableScheme, string]>([
			[
				'GitHub style, Standard Webhooks expected',
				{ kind: 'github' },
				STANDARD,
				'X-Hub-Signature-256',
			],
			[
				'Stripe style, Standard Webhooks expected',
				{ kind: 'stripe' },
				STANDARD,
				'Stripe-Signature',
			],
			[
				'Standard Webhooks, GitHub style expected',
				STANDARD,
				{ kind: 'github' },
				'webhook-signature',
			],
			['Standard Webhooks, Custom HMAC expected', STANDARD, CUSTOM, 'webhook-signature'],
		])('names the scheme of a request signed %s', (_case, sentScheme, expected, header) => {
			const { failure, findings } = diagnose(delivery({ scheme: sentScheme }), {
				scheme: expected,
			});
			expect(failure).toBe('missing_signature');
			expect(findings).toEqual([
				{ kind: 'other_scheme', scheme: sentScheme.kind, header, verifies: true },
			]);
		});

		it('checks a sender that signs the URL against the URL the request was sent to', () => {
			const url = 'https://n8n.example.com/webhook/square';
			const signedFor = (signed: string) => ({
				headers: {
					'content-type': 'application/json',
					'x-square-hmacsha256-signature': createHmac('sha256', CURRENT)
						.update(signed + BODY)
						.digest('base64'),
				},
				body: Buffer.from(BODY),
			});
			const findings = (signed: string) =>
				diagnoseSignatureFailure({
					scheme: STANDARD,
					secrets: [CURRENT],
					...signedFor(signed),
					url,
					now: NOW,
					toleranceSeconds: TOLERANCE,
					failure: 'missing_signature',
				});
			const square = {
				kind: 'other_scheme',
				scheme: 'square',
				header: 'x-square-hmacsha256-signature',
			};
			expect(findings(url)).toEqual([{ ...square, verifies: true }]);
			expect(findings(url.replace('https', 'http'))).toEqual([{ ...square, verifies: false }]);
		});

		it("says when the other scheme's signature does not match the secret either", () => {
			const sent = delivery({ scheme: { kind: 'github' }, signedWith: PREVIOUS });
			expect(diagnose(sent).findings).toEqual([
				{ kind: 'other_scheme', scheme: 'github', header: 'X-Hub-Signature-256', verifies: false },
			]);
		});

		it('names a header several senders share once, by the first listed, with the headers it also sends', () => {
			const github = delivery({ scheme: { kind: 'github' } });
			const legacy = delivery({ scheme: { kind: 'intercom' } });
			// GitHub (and Meta) send the SHA-1 X-Hub-Signature beside X-Hub-Signature-256.
			const both = { ...github, headers: { ...legacy.headers, ...github.headers } };
			expect(diagnose(both).findings).toEqual([
				{ kind: 'other_scheme', scheme: 'github', header: 'X-Hub-Signature-256', verifies: true },
			]);
			expect(diagnose(legacy).findings).toEqual([
				{ kind: 'other_scheme', scheme: 'intercom', header: 'X-Hub-Signature', verifies: true },
			]);
		});

		it('does not call the header a Custom HMAC scheme is set to read another scheme', () => {
			const scheme: SignableScheme = {
				...CUSTOM,
				signatureHeader: 'X-Hub-Signature-256',
				timestampHeader: undefined,
			};
			const sent = delivery({ scheme: { kind: 'github' }, signedWith: PREVIOUS });
			expect(diagnose(sent, { scheme }).findings).toEqual([]);
		});
	});

	describe('a secret read the other way', () => {
		it('finds a sender that uses the whole "whsec_" secret as plain text', () => {
			const sent = delivery({ signedWith: whsec(CURRENT) });
			expect(diagnose(sent)).toEqual({
				failure: 'signature_mismatch',
				findings: [{ kind: 'secret_used_as_text', withPrefix: true, previous: false }],
			});
		});

		it('finds a sender that uses the part after "whsec_" as plain text', () => {
			const sent = delivery({ signedWith: whsec(CURRENT.slice('whsec_'.length)) });
			expect(diagnose(sent).findings).toEqual([
				{ kind: 'secret_used_as_text', withPrefix: false, previous: false },
			]);
		});

		it('finds it for the Previous Secret of a rotation too', () => {
			const sent = delivery({ signedWith: whsec(PREVIOUS) });
			expect(diagnose(sent, { secrets: [CURRENT, PREVIOUS] }).findings).toEqual([
				{ kind: 'secret_used_as_text', withPrefix: true, previous: true },
			]);
		});

		it('finds a sender that base64-decodes a secret the credential holds as plain text', () => {
			const sent = delivery({ signedWith: whsec(Buffer.from(PLAIN, 'base64')) });
			expect(diagnose(sent, { secrets: [PLAIN] }).findings).toEqual([
				{ kind: 'secret_base64_decoded', previous: false },
			]);
		});

		it('tries no decoding of a plain secret that is not base64', () => {
			const sent = delivery({ signedWith: PREVIOUS });
			expect(diagnose(sent, { secrets: ['plain text, not base64!'] }).findings).toEqual([]);
		});
	});

	describe('timestamps', () => {
		it.each<[string, SignableScheme, (ms: string) => HeaderBag]>([
			['webhook-timestamp', STANDARD, (ms) => ({ 'webhook-timestamp': ms })],
			[
				'the Stripe-Signature t= entry',
				{ kind: 'stripe' },
				(ms) => ({ 'stripe-signature': `t=${ms},v1=${'0'.repeat(64)}` }),
			],
			['a Custom HMAC timestamp header', CUSTOM, (ms) => ({ 'x-timestamp': ms })],
		])('recognises milliseconds in %s', (_where, scheme, withMs) => {
			const sent = delivery({ scheme });
			const headers = { ...sent.headers, ...withMs(String(NOW * 1000)) };
			expect(diagnose({ ...sent, headers }, { scheme })).toEqual({
				failure: 'missing_timestamp',
				findings: [{ kind: 'timestamp_in_milliseconds' }],
			});
		});

		it('finds nothing in a timestamp that is neither seconds nor milliseconds', () => {
			const sent = delivery();
			const headers = { ...sent.headers, 'webhook-timestamp': 'yesterday' };
			expect(diagnose({ ...sent, headers }).findings).toEqual([]);
		});

		it.each([
			['ahead', 901],
			['behind', -3600],
		])(
			'gives how far the sender is %s and the tolerance, and that the signature holds',
			(_way, skew) => {
				const sent = delivery({ timestamp: NOW + skew });
				expect(diagnose(sent)).toEqual({
					failure: 'timestamp_out_of_tolerance',
					findings: [
						{
							kind: 'clock_skew',
							seconds: skew,
							toleranceSeconds: TOLERANCE,
							signatureValid: true,
						},
					],
				});
			},
		);

		it('says when the late request is not signed with the secret either', () => {
			const sent = delivery({ timestamp: NOW - 600, signedWith: whsec('unknown') });
			expect(diagnose(sent).findings).toEqual([
				{ kind: 'clock_skew', seconds: -600, toleranceSeconds: TOLERANCE, signatureValid: false },
			]);
		});
	});

	describe('the previous secret of a rotation', () => {
		it('notes a late request signed with the Previous Secret (or with the two swapped)', () => {
			const sent = delivery({ timestamp: NOW - 600, signedWith: PREVIOUS });
			expect(diagnose(sent, { secrets: [CURRENT, PREVIOUS] }).findings).toEqual([
				{ kind: 'clock_skew', seconds: -600, toleranceSeconds: TOLERANCE, signatureValid: true },
				{ kind: 'previous_secret' },
			]);
		});
	});

	describe('a re-serialised body', () => {
		const value = JSON.parse(BODY);
		const sorted = '{"data":{"ok":true,"step":1},"type":"flow.start"}';
		it.each([
			[
				'compact JSON, sent indented',
				JSON.stringify(value),
				JSON.stringify(value, null, 2),
				'compact JSON',
			],
			[
				'indented JSON, sent compact',
				JSON.stringify(value, null, 2),
				BODY,
				'JSON indented with 2 spaces',
			],
			[
				'4-space JSON, sent compact',
				JSON.stringify(value, null, 4),
				BODY,
				'JSON indented with 4 spaces',
			],
			[
				'Python json.dumps output, sent compact',
				'{"type": "flow.start", "data": {"step": 1, "ok": true}}',
				BODY,
				'JSON with ", " and ": " separators (Python json.dumps)',
			],
			['sorted keys, sent in another order', sorted, BODY, 'compact JSON with sorted keys'],
			['the body and a line break', `${BODY}\n`, BODY, 'the body with a trailing line break'],
		])('finds a sender that signed %s', (_case, signedBody, body, signedAs) => {
			expect(diagnose(delivery({ body, signedBody }))).toEqual({
				failure: 'signature_mismatch',
				findings: [{ kind: 'body_reserialised', signedAs }],
			});
		});

		it('can tell nothing about a body that is not JSON', () => {
			expect(diagnose(delivery({ body: 'not json', signedBody: 'not json!' })).findings).toEqual(
				[],
			);
		});
	});

	describe('no diagnosis', () => {
		it.each<[string, Delivery, SignableScheme]>([
			['a wrong secret', { signedWith: whsec('an unrelated secret') }, STANDARD],
			['a changed body', { body: '{"type":"flow.end"}', signedBody: BODY }, STANDARD],
			[
				'a Stripe request with a wrong secret',
				{ scheme: { kind: 'stripe' }, signedWith: PREVIOUS },
				{ kind: 'stripe' },
			],
		])('finds nothing recognisable in %s', (_case, sent, scheme) => {
			expect(diagnose(delivery(sent), { scheme }).findings).toEqual([]);
		});

		it('finds nothing in a request without any signature', () => {
			expect(diagnose({ headers: {}, body: Buffer.from(BODY) })).toEqual({
				failure: 'missing_signature',
				findings: [],
			});
		});

		it('finds nothing in a malformed signature', () => {
			const sent = delivery();
			const headers = { ...sent.headers, 'webhook-signature': 'v1,not-base64!' };
			expect(diagnose({ ...sent, headers })).toEqual({
				failure: 'malformed_signature',
				findings: [],
			});
		});
	});
});

describe('diagnoseSignatureFailure under a public-key scheme', () => {
	const DISCORD: SignatureScheme = { kind: 'discord' };
	const app = publicKeySender('discord');
	const renewed = publicKeySender('discord');
	const signedBy = (
		sender: ReturnType<typeof publicKeySender>,
		{
			body = BODY,
			signedBody = body,
			timestamp = NOW,
		}: Pick<Delivery, 'body' | 'signedBody' | 'timestamp'> = {},
	) => ({ headers: sender.headers(signedBody, timestamp), body: Buffer.from(body) });

	it('gives the skew of a late interaction and that its signature holds', () => {
		expect(
			diagnose(signedBy(app, { timestamp: NOW - 901 }), {
				scheme: DISCORD,
				secrets: [app.publicKey],
			}),
		).toEqual({
			failure: 'timestamp_out_of_tolerance',
			findings: [
				{ kind: 'clock_skew', seconds: -901, toleranceSeconds: TOLERANCE, signatureValid: true },
			],
		});
	});

	it("notes a late interaction signed with the credential's previous key", () => {
		const sent = signedBy(app, { timestamp: NOW - 600 });
		expect(
			diagnose(sent, { scheme: DISCORD, secrets: [renewed.publicKey, app.publicKey] }).findings,
		).toEqual([
			{ kind: 'clock_skew', seconds: -600, toleranceSeconds: TOLERANCE, signatureValid: true },
			{ kind: 'previous_secret' },
		]);
	});

	it('finds a sender that signed the JSON in another form than it sent', () => {
		const sent = signedBy(app, {
			body: BODY,
			signedBody: JSON.stringify(JSON.parse(BODY), null, 2),
		});
		expect(diagnose(sent, { scheme: DISCORD, secrets: [app.publicKey] })).toEqual({
			failure: 'signature_mismatch',
			findings: [{ kind: 'body_reserialised', signedAs: 'JSON indented with 2 spaces' }],
		});
	});

	it('finds nothing in a signature by another key: a public key has no other reading', () => {
		expect(diagnose(signedBy(renewed), { scheme: DISCORD, secrets: [app.publicKey] })).toEqual({
			failure: 'signature_mismatch',
			findings: [],
		});
	});

	it('recognises milliseconds in X-Signature-Timestamp', () => {
		const sent = signedBy(app);
		const headers = { ...sent.headers, 'x-signature-timestamp': `${NOW}000` };
		expect(diagnose({ ...sent, headers }, { scheme: DISCORD, secrets: [app.publicKey] })).toEqual({
			failure: 'missing_timestamp',
			findings: [{ kind: 'timestamp_in_milliseconds' }],
		});
	});

	it('names Discord when its interaction reaches a node set to another scheme, and whether the key checks it', () => {
		// The default Verification with Discord's public key pasted as its secret.
		expect(
			diagnose(signedBy(app), { scheme: STANDARD, secrets: [app.publicKey] }).findings,
		).toEqual([
			{ kind: 'other_scheme', scheme: 'discord', header: 'X-Signature-Ed25519', verifies: true },
		]);
		expect(diagnose(signedBy(app), { scheme: STANDARD, secrets: [CURRENT] }).findings).toEqual([
			{ kind: 'other_scheme', scheme: 'discord', header: 'X-Signature-Ed25519', verifies: false },
		]);
	});

	it('names the scheme of an HMAC-signed request that reaches a public-key node', () => {
		const sent = delivery({ scheme: { kind: 'github' } });
		expect(diagnose(sent, { scheme: DISCORD, secrets: [app.publicKey] })).toEqual({
			failure: 'missing_signature',
			findings: [
				{ kind: 'other_scheme', scheme: 'github', header: 'X-Hub-Signature-256', verifies: false },
			],
		});
	});

	it('tells the builder to paste the public key the sender shows, not to give the sender a secret', () => {
		const { description } = explainRefusal({
			reason: 'signature_mismatch',
			answer: { status: 401 },
			scheme: DISCORD,
			findings: [],
		});
		expect(description).toMatch(
			/Fix: Paste into the credential the public key Discord Interactions shows for this endpoint \(the public key, 64 hexadecimal characters\)/,
		);
		expect(description).toMatch(/deliberately wrong signature is answered this way on purpose/);
		expect(description).not.toMatch(/Give the sender/);
		const missing = explainRefusal({
			reason: 'missing_signature',
			answer: { status: 401 },
			scheme: DISCORD,
			findings: [],
		});
		expect(missing.description).toMatch(
			/Fix: Make the sender sign each request with its private key and send X-Signature-Timestamp, X-Signature-Ed25519 \(Discord Interactions\)/,
		);
	});
});

describe('a diagnosis never accepts, and gives nothing secret away', () => {
	const config: IngestConfig = {
		verification: { scheme: STANDARD, secrets: [CURRENT, PREVIOUS], toleranceSeconds: TOLERANCE },
		maxBodyBytes: 1 << 20,
		normalize: { typeField: 'auto', idField: 'id', strictFlowEvents: false },
		filter: { types: [], patterns: [] },
		dedup: null,
	};
	const refusals: Array<[string, { headers: HeaderBag; body: Buffer }]> = [
		['another scheme', delivery({ scheme: { kind: 'github' } })],
		['the secret as text', delivery({ signedWith: whsec(CURRENT) })],
		['the previous secret as text', delivery({ signedWith: whsec(PREVIOUS) })],
		['a late request', delivery({ timestamp: NOW - 600, signedWith: PREVIOUS })],
		[
			'a re-serialised body',
			delivery({ body: JSON.stringify(JSON.parse(BODY), null, 2), signedBody: BODY }),
		],
		[
			'milliseconds',
			{ ...delivery(), headers: { ...delivery().headers, 'webhook-timestamp': `${NOW}000` } },
		],
		['nothing recognisable', delivery({ signedWith: whsec('unrelated') })],
	];

	// What the diagnosis run between the two refusals finds in each case.
	const findingKinds: Record<string, string[]> = {
		'another scheme': ['other_scheme'],
		'the secret as text': ['secret_used_as_text'],
		'the previous secret as text': ['secret_used_as_text'],
		'a late request': ['clock_skew', 'previous_secret'],
		'a re-serialised body': ['body_reserialised'],
		milliseconds: ['timestamp_in_milliseconds'],
		'nothing recognisable': [],
	};

	it.each(refusals)(
		'%s: still refused with the same 401, before and after diagnosing',
		(_case, sent) => {
			const ingest = () =>
				handleIngest({ headers: sent.headers, rawBody: sent.body }, config, {
					now: NOW,
					ledger: emptyLedger(),
					newId: () => 'new',
				});
			const before = ingest();
			expect(before.kind).toBe('rejected');
			const reason = (before.answer.body as { error: string }).error;
			const findings = signatureFindings(
				{ headers: sent.headers, rawBody: sent.body },
				config,
				NOW,
				reason,
			);
			expect(findings?.map((finding) => finding.kind)).toEqual(findingKinds[_case]);
			expect(ingest()).toEqual(before);
			expect(before.answer.status).toBe(401);
		},
	);

	it.each(refusals)(
		'%s: no secret, key, signature or digest in the findings or the explanation',
		(_case, sent) => {
			const reason = (
				handleIngest({ headers: sent.headers, rawBody: sent.body }, config, {
					now: NOW,
					ledger: emptyLedger(),
					newId: () => 'new',
				}).answer.body as { error: string }
			).error;
			const findings = signatureFindings(
				{ headers: sent.headers, rawBody: sent.body },
				config,
				NOW,
				reason,
			) as SignatureFinding[];
			const shown = JSON.stringify([
				findings,
				explainRefusal({ reason, answer: { status: 401 }, scheme: STANDARD, findings }),
			]);
			const signature = String(
				sent.headers['webhook-signature'] ?? sent.headers['x-hub-signature-256'],
			);
			const secretParts = [CURRENT, PREVIOUS].flatMap((secret) => [
				secret,
				secret.slice('whsec_'.length),
				Buffer.from(secret.slice('whsec_'.length), 'base64').toString('hex'),
			]);
			for (const hidden of [...secretParts, signature, signature.replace(/^(v1,|sha256=)/, '')])
				expect(shown).not.toContain(hidden);
		},
	);

	it('diagnoses only signature failures, and only with verification on', () => {
		const request = { headers: {}, rawBody: Buffer.from('{}') };
		expect(signatureFindings(request, config, NOW, 'invalid_json')).toBeUndefined();
		expect(
			signatureFindings(request, { ...config, verification: null }, NOW, 'missing_signature'),
		).toBeUndefined();
	});
});
