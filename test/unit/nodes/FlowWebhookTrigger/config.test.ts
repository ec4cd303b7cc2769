import { NodeOperationError, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { readTriggerSettings } from '../../../../nodes/FlowWebhookTrigger/config';
import { webhookContext } from '../../support/n8nContexts';
import { publicKeySender, whsec } from '../../../support/events.cjs';

const goodSecret = whsec('config test signing material 32!');
const malformed = 'whsec_***not base64***';
const trigger = new FlowWebhookTrigger();

const signed = { verification: 'standardWebhooks' };

const contextWith = (credentials?: ICredentialDataDecryptedObject, mode = 'webhook') =>
	webhookContext(trigger, {
		parameters: signed,
		credentials,
		request: { headers: { 'content-type': 'application/json' }, rawBody: Buffer.from('{}') },
		mode,
	});

async function misconfiguration(
	credentials?: ICredentialDataDecryptedObject,
): Promise<NodeOperationError> {
	const error: unknown = await readTriggerSettings(contextWith(credentials).context).then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	return error as NodeOperationError;
}

describe('reading the trigger settings', () => {
	it('falls back to the defaults for every option the user never added', async () => {
		const settings = await readTriggerSettings(contextWith({ secret: goodSecret }).context);
		// Literals, not TRIGGER_DEFAULTS: the values users rely on, so a changed default fails here.
		expect(settings.ingest).toMatchObject({
			verification: { toleranceSeconds: 300 },
			maxBodyBytes: 1024 * 1024,
			normalize: { typeField: 'auto', idField: 'id', strictFlowEvents: false },
			dedup: { retentionSeconds: 24 * 3600, maxEntries: 5000 },
		});
		expect(settings.item).toEqual({ includeHeaders: false, includeReceivedAt: true });
		expect(settings.outputEventTypes).toBeNull();
	});

	it.each([
		['left out, a sender with its own window keeps it', { verification: 'paddle' }, 5],
		[
			"set, the user's tolerance wins over the sender's",
			{ verification: 'paddle', options: { toleranceSeconds: 300 } },
			300,
		],
		['left out, other senders get 300', { verification: 'stripe' }, 300],
	])('reads the Timestamp Tolerance: %s', async (_case, parameters, expected) => {
		const { context } = webhookContext(trigger, {
			parameters,
			credentials: { secret: goodSecret },
			request: { headers: {}, rawBody: Buffer.from('{}') },
		});
		const settings = await readTriggerSettings(context);
		expect(settings.ingest.verification?.toleranceSeconds).toBe(expected);
	});

	it.each([
		['Secret', { secret: malformed }],
		['Previous Secret', { secret: goodSecret, previousSecret: malformed }],
	])(
		'names the malformed %s of the credential and how to fix it, never the secret',
		async (field, credentials) => {
			const error = await misconfiguration(credentials);
			expect(error.message).toContain(
				`The ${field} of the Webhook Signing Secret API credential is malformed`,
			);
			expect(error.message).toMatch(/must continue with valid base64/);
			expect(error.description).toContain(`enter the ${field} again`);
			expect(JSON.stringify(error)).not.toContain('***not base64***');
		},
	);

	it('says which credential to select when none can be read', async () => {
		const error = await misconfiguration(undefined);
		expect(error.message).toMatch(/Webhook Signing Secret API credential could not be read/);
		expect(error.description).toMatch(/select one .*or set Verification to None/);
	});
});

describe('a misconfigured trigger', () => {
	it('still answers the sender 500 misconfigured, and logs what is wrong without the secret', async () => {
		const { context, response, logged } = contextWith({
			secret: goodSecret,
			previousSecret: malformed,
		});
		await expect(trigger.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(JSON.stringify(response.body)).not.toMatch(/Previous Secret|base64/);
		expect(logged.join('\n')).toMatch(/misconfigured: The Previous Secret .* is malformed/);
		expect(logged.join('\n')).not.toContain('***not base64***');
	});

	it('shows the editor the fix while it listens', async () => {
		const { context } = contextWith({ secret: malformed }, 'manual');
		const error = (await trigger.webhook
			.call(context)
			.catch((thrown: unknown) => thrown)) as NodeOperationError;
		expect(error.description).toMatch(/<br>Fix: Open the credential and enter the Secret again/);
	});
});

describe('secrets and headers per sender (version 2)', () => {
	const settingsOf = (parameters: Record<string, unknown>, secret: string, typeVersion = 2) =>
		readTriggerSettings(
			webhookContext(trigger, { parameters, credentials: { secret }, typeVersion }).context,
		);

	it("keeps each sender's own reading of the secret on version 2, and version 1's on version 1", async () => {
		const stripe = { verification: 'stripe' };
		expect((await settingsOf(stripe, 'whsec_abc', 2)).ingest.verification?.scheme).toEqual({
			kind: 'stripe',
		});
		expect((await settingsOf(stripe, goodSecret, 1)).ingest.verification?.scheme).toEqual({
			kind: 'stripe',
			secretEncoding: 'whsecOrText',
		});
	});

	it('takes a Stripe secret that is not base64 after whsec_ on version 2, as Stripe does', async () => {
		await expect(settingsOf({ verification: 'stripe' }, malformed)).resolves.toBeDefined();
	});

	it('refuses a secret the chosen encoding cannot read, saying how to enter it', async () => {
		const parameters = { verification: 'customHmac', secretEncoding: 'base64' };
		const error: unknown = await settingsOf(parameters, 'not base64!').catch((thrown) => thrown);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(/must be base64/);
		expect((error as NodeOperationError).description).toMatch(/base64 secret the sender shows/);
		expect(JSON.stringify(error)).not.toContain('not base64!');
	});

	it('reads the header the user names before the one the sender is known to use', async () => {
		const parameters = {
			verification: 'github',
			options: { eventTypeHeader: ' X-Custom-Type ', eventIdHeader: 'X-Custom-Id' },
		};
		const { normalize } = (await settingsOf(parameters, 'text secret')).ingest;
		expect(normalize.typeHeaders).toEqual(['X-Custom-Type', 'X-GitHub-Event']);
		expect(normalize.idHeaders).toEqual(['X-Custom-Id', 'X-GitHub-Delivery']);
	});

	it("reads Custom HMAC's Start From and the fields filled in over the preset's", async () => {
		const parameters = {
			verification: 'customHmac',
			startFrom: 'stripe',
			signatureHeader: 'Acme-Signature',
		};
		const scheme = (await settingsOf(parameters, 'whsec_abc')).ingest.verification?.scheme;
		expect(scheme).toMatchObject({
			kind: 'customHmacFromPreset',
			profile: {
				label: 'Custom HMAC from Stripe Style',
				secretEncoding: 'text',
				signature: { headers: ['Acme-Signature'], encoding: 'hex' },
			},
		});
	});

	it('reads a shared token in the header set, Authorization when left empty', async () => {
		const withHeader = await settingsOf(
			{ verification: 'token', tokenHeader: 'X-Gitlab-Token' },
			'the token',
		);
		expect(withHeader.ingest.verification?.scheme).toEqual({
			kind: 'token',
			header: 'X-Gitlab-Token',
		});
		const bare = await settingsOf({ verification: 'token', tokenHeader: '' }, 'the token');
		expect(bare.ingest.verification?.scheme).toEqual({ kind: 'token', header: 'Authorization' });
	});
});

describe('a public-key Verification (Discord, SendGrid)', () => {
	const discord = publicKeySender('discord');
	const contextFor = (credentials: ICredentialDataDecryptedObject) =>
		webhookContext(trigger, {
			parameters: { verification: 'discord' },
			credentials,
			request: { headers: { 'content-type': 'application/json' }, rawBody: Buffer.from('{}') },
		});

	it("reads the credential's fields as the sender's current and previous public keys", async () => {
		const previous = publicKeySender('discord').publicKey;
		const settings = await readTriggerSettings(
			contextFor({ secret: discord.publicKey, previousSecret: previous }).context,
		);
		expect(settings.ingest.verification).toMatchObject({
			scheme: { kind: 'discord' },
			secrets: [discord.publicKey, previous],
		});
	});

	it.each([
		['Secret', { secret: publicKeySender('sendgrid').publicKey }],
		['Previous Secret', { secret: discord.publicKey, previousSecret: 'abc123' }],
	])(
		'answers 500 misconfigured for a %s that is no public key of the sender, and says what to paste',
		async (field, credentials) => {
			const { context, response, logged } = contextFor(credentials);
			await expect(trigger.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
			expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
			expect(logged.join('\n')).toMatch(
				new RegExp(
					`The ${field} of the Webhook Signing Secret API credential is malformed: The public key must be the 64 hexadecimal characters`,
				),
			);
			const error = (await readTriggerSettings(contextFor(credentials).context).catch(
				(thrown: unknown) => thrown,
			)) as NodeOperationError;
			expect(error.description).toMatch(
				/64 hexadecimal characters \(Discord: the app's Public Key\)/,
			);
		},
	);
});
