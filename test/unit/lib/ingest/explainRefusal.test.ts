import { errorAnswer } from '../../../../lib/http/answers';
import { explainRefusal, type RefusalFacts } from '../../../../lib/ingest/explainRefusal';
import { schemeFromParameters } from '../../../../lib/signing/fromParameters';
import type { SignatureScheme } from '../../../../lib/signing/schemes';
import type { SignatureFinding } from '../../../../lib/signing/diagnose';

const STANDARD: SignatureScheme = { kind: 'standardWebhooks' };

const refused = (reason: string, status = 401, extra: Partial<RefusalFacts> = {}) =>
	explainRefusal({
		reason,
		answer: errorAnswer(status, reason, `What the sender read about ${reason}.`),
		scheme: STANDARD,
		...extra,
	});

describe('explainRefusal', () => {
	it.each([
		['missing_signature', 401, /send webhook-id, webhook-timestamp, webhook-signature/],
		['malformed_signature', 401, /exactly as Standard Webhooks defines them/],
		['missing_timestamp', 401, /Unix time in whole seconds/],
		['timestamp_out_of_tolerance', 401, /Timestamp Tolerance/],
		['signature_mismatch', 401, /exactly the credential's secret/],
		['invalid_json', 400, /Content-Type: application\/json/],
		['unreadable_body', 400, /Content-Type: application\/json/],
		['payload_too_large', 413, /Max Body Size/],
		['invalid_event', 422, /Event Type Field/],
		['ip_not_allowed', 403, /IP Allowlist/],
		['rate_limited', 429, /Retry-After/],
		['delivery_in_progress', 409, /new id/],
	])('%s: the answer, what the sender was told, and a fix', (reason, status, fix) => {
		const { message, description } = refused(reason, status);
		expect(message).toBe(`Refused: the sender was answered ${status} ${reason}`);
		const [meaning, ...rest] = description.split('\n');
		expect(meaning).toBe(`What the sender read about ${reason}.`);
		expect(rest.at(-1)).toMatch(fix);
	});

	it('on a signature mismatch of a sender that signs the URL, points at the Public URL', () => {
		const fix = (scheme: SignatureScheme) =>
			refused('signature_mismatch', 401, { scheme }).description.split('\n').at(-1);
		expect(fix({ kind: 'square' })).toMatch(/set Public URL to that URL exactly/);
		expect(fix({ kind: 'stripe' })).not.toMatch(/Public URL/);
	});

	it('names the fields an invalid event lacks', () => {
		const { description } = explainRefusal({
			reason: 'invalid_event',
			answer: {
				status: 422,
				body: { error: 'invalid_event', message: 'Incomplete.', fields: ['session_id', 'created'] },
			},
			scheme: null,
		});
		expect(description).toMatch(/^Incomplete\. Fields: session_id, created\.\n/);
	});

	it.each([
		['duplicate', 'was already accepted', /new id/],
		['ignored', 'is not one this trigger accepts', /Event Types/],
	])('%s: "not run", with why and what to change', (reason, meaning, fix) => {
		const { message, description } = explainRefusal({
			reason,
			answer: { status: 200, body: { received: true } },
			scheme: STANDARD,
		});
		expect(message).toBe(`Not run: the sender was answered 200 ${reason}`);
		expect(description).toContain(meaning);
		expect(description).toMatch(fix);
	});

	it("misconfigured: the node's problem, which only the editor sees", () => {
		const { description } = explainRefusal({
			reason: 'misconfigured',
			answer: { status: 500 },
			scheme: null,
			problem: 'The signing secret is empty.',
		});
		expect(description).toMatch(
			/^The node's settings are unusable: The signing secret is empty\.\n/,
		);
	});

	it("misconfigured: the fix the node's error gives, else a general one", () => {
		const misconfigured = (fix?: string) =>
			explainRefusal({
				reason: 'misconfigured',
				answer: { status: 500 },
				scheme: null,
				problem: 'Secret is not valid base64.',
				fix,
			}).description;
		expect(misconfigured('Paste the secret again, with its whsec_ prefix.')).toMatch(
			/\nFix: Paste the secret again, with its whsec_ prefix\.$/,
		);
		expect(misconfigured()).toMatch(/\nFix: Correct the node's settings or its credential\.$/);
	});

	it('says when the request reveals no likely cause of a signature failure', () => {
		expect(refused('signature_mismatch', 401, { findings: [] }).description).toContain(
			'No likely cause could be told from this request alone.',
		);
	});

	it('adds no findings to refusals that are not about the signature', () => {
		expect(refused('invalid_json', 400, { findings: [] }).description.split('\n')).toHaveLength(2);
	});

	it.each<[SignatureFinding, RegExp]>([
		[
			{ kind: 'other_scheme', scheme: 'github', header: 'x-hub-signature-256', verifies: true },
			/carries x-hub-signature-256, a GitHub Style signature, and that signature matches your secret, while the node expects Standard Webhooks: set Verification to GitHub Style\./,
		],
		[
			{ kind: 'other_scheme', scheme: 'stripe', header: 'stripe-signature', verifies: false },
			/a Stripe Style signature, while the node expects Standard Webhooks: set Verification to Stripe Style\./,
		],
		[
			{ kind: 'secret_used_as_text', withPrefix: true, previous: false },
			/whole secret, "whsec_" included, as plain text/,
		],
		[
			{ kind: 'secret_used_as_text', withPrefix: false, previous: false },
			/Put that part, without "whsec_", in the credential/,
		],
		[
			{ kind: 'secret_used_as_text', withPrefix: true, previous: true },
			/whole credential's Previous Secret/,
		],
		[
			{ kind: 'secret_base64_decoded', previous: false },
			/Put "whsec_" in front of it in the credential/,
		],
		[{ kind: 'previous_secret' }, /Previous Secret: the sender has not switched .* swapped/],
		[
			{ kind: 'timestamp_in_milliseconds' },
			/in milliseconds, and the node expects Unix time in seconds/,
		],
		[
			{ kind: 'clock_skew', seconds: 420, toleranceSeconds: 300, signatureValid: true },
			/420 seconds ahead of n8n's clock; the tolerance is 300 seconds\. The signature itself is valid\.$/,
		],
		[
			{ kind: 'clock_skew', seconds: -86400, toleranceSeconds: 300, signatureValid: false },
			/86400 seconds behind n8n's clock; the tolerance is 300 seconds\. That much usually means an old request sent again/,
		],
		[
			{ kind: 'body_reserialised', signedAs: 'compact JSON' },
			/matches this body written as compact JSON/,
		],
	])('describes what it found: %j', (finding, text) => {
		const lines = refused('signature_mismatch', 401, { findings: [finding] }).description.split(
			'\n',
		);
		expect(lines[1]).toMatch(/^Found: /);
		expect(lines[1]).toMatch(text);
	});

	it('tells Custom HMAC, started from a preset or not, to set its Secret Encoding', () => {
		const fork = schemeFromParameters({ scheme: 'customHmac', startFrom: 'stripe' }, 2);
		for (const scheme of [
			{ kind: 'customHmac', signatureHeader: 'x', algorithm: 'sha256', encoding: 'hex' },
			fork,
		]) {
			const found = (finding: SignatureFinding) =>
				refused('signature_mismatch', 401, {
					scheme: scheme as SignatureScheme,
					findings: [finding],
				}).description;
			expect(found({ kind: 'secret_used_as_text', withPrefix: true, previous: false })).toMatch(
				/Set Secret Encoding to Text\./,
			);
			expect(found({ kind: 'secret_base64_decoded', previous: false })).toMatch(
				/Set Secret Encoding to Base64\./,
			);
		}
	});
});
