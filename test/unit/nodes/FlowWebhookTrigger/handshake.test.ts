import { createHmac } from 'node:crypto';

import {
	NodeOperationError,
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
} from 'n8n-workflow';

import { parameterTemplate } from '../../../../lib/n8n/webhookFields';
import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { VERIFY_TOKEN_WEBHOOK } from '../../../../nodes/FlowWebhookTrigger/handshake';
import { webhookContext, type FakeRequest } from '../../support/n8nContexts';

const trigger = new FlowWebhookTrigger();
const SLACK_SECRET = 'slack signing secret';
const VERIFY_TOKEN = 'typed in the dashboard';

function slackCheck(): FakeRequest {
	const body = JSON.stringify({ token: 't', challenge: 'c-1', type: 'url_verification' });
	const timestamp = Math.floor(Date.now() / 1000);
	const digest = createHmac('sha256', SLACK_SECRET).update(`v0:${timestamp}:${body}`).digest('hex');
	return {
		headers: {
			'content-type': 'application/json',
			'x-slack-request-timestamp': String(timestamp),
			'x-slack-signature': `v0=${digest}`,
		},
		rawBody: Buffer.from(body),
	};
}

const metaCheck = (token: string): FakeRequest => ({
	method: 'GET',
	originalUrl: `/webhook/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${encodeURIComponent(token)}`,
});

const slack = (mode: string) =>
	webhookContext(trigger, {
		parameters: { verification: 'slack' },
		credentials: { secret: SLACK_SECRET },
		typeVersion: 2,
		request: slackCheck(),
		mode,
	});

const meta = (mode: string, token: string, verifyToken = VERIFY_TOKEN) =>
	webhookContext(trigger, {
		parameters: { verification: 'meta', verifyToken },
		credentials: { secret: 'meta app secret' },
		typeVersion: 2,
		request: metaCheck(token),
		mode,
	});

describe('a sender’s handshake at the trigger', () => {
	it.each(['webhook', 'manual'])(
		'answers Slack’s URL check itself in %s mode: no run, nothing logged, the listening goes on',
		async (mode) => {
			const { context, response, logged } = slack(mode);
			await expect(trigger.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
			expect(response).toMatchObject({ status: 200, body: { challenge: 'c-1' }, ended: true });
			expect(logged).toEqual([]);
		},
	);

	it.each(['webhook', 'manual'])(
		'answers Meta’s GET with the challenge as text in %s mode, without reading the credential',
		async (mode) => {
			const { context, response, logged } = meta(mode, VERIFY_TOKEN);
			await expect(trigger.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
			expect(response).toMatchObject({
				status: 200,
				body: '1158201444',
				headers: { 'content-type': 'text/plain; charset=utf-8' },
			});
			expect(logged).toEqual([]);
		},
	);

	it('refuses Meta’s GET with another token with 403, logs it, and ends the listening with why', async () => {
		const production = meta('webhook', 'guessed');
		await expect(trigger.webhook.call(production.context)).resolves.toEqual({
			noWebhookResponse: true,
		});
		expect(production.response).toMatchObject({
			status: 403,
			body: { error: 'verify_token_mismatch' },
		});
		expect(production.logged.join('\n')).toMatch(/verify_token_mismatch/);

		const listening = meta('manual', 'guessed');
		const error = await trigger.webhook.call(listening.context).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).description).toMatch(/Verify Token/);
		expect(listening.response.status).toBe(403);
	});

	it('answers a GET left routed after a change of preset with 405, naming the method events use', async () => {
		const { context, response } = webhookContext(trigger, {
			parameters: { verification: 'slack', httpMethod: 'PUT' },
			credentials: { secret: SLACK_SECRET },
			typeVersion: 2,
			request: metaCheck(VERIFY_TOKEN),
			mode: 'webhook',
		});
		await trigger.webhook.call(context);
		expect(response).toMatchObject({
			status: 405,
			body: { error: 'method_not_allowed', message: 'Send events with PUT.' },
		});
	});

	it('answers 500 misconfigured while no Verify Token is set', async () => {
		const { context, response } = meta('webhook', '', '');
		await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
	});
});

describe('the GET webhook of senders that check the URL with one', () => {
	const method = (parameters: Record<string, unknown>) =>
		resolveWebhookDescriptionField({ parameters } as never, VERIFY_TOKEN_WEBHOOK, 'httpMethod');

	it('is GET on the events’ own path for Meta, and empty (no route) for every other preset', () => {
		expect(method({ verification: 'meta', path: 'x' })).toEqual({ resolved: true, value: 'GET' });
		for (const verification of ['slack', 'discord', 'standardWebhooks', 'none', 'customHmac']) {
			expect(method({ verification, path: 'x' })).toEqual({ resolved: true, value: '' });
		}
		expect(
			resolveWebhookDescriptionField(
				{ parameters: { path: 'x' } } as never,
				VERIFY_TOKEN_WEBHOOK,
				'path',
			),
		).toEqual({ resolved: true, value: 'x' });
		expect(webhookDescriptionIsNativelyResolvable(VERIFY_TOKEN_WEBHOOK)).toBe(true);
	});

	it('has the same choice as an expression for n8n versions that evaluate it', () => {
		expect(VERIFY_TOKEN_WEBHOOK.httpMethod).toBe(
			parameterTemplate({ parameter: 'verification', oneOf: ['meta'], then: 'GET', otherwise: '' }),
		);
		expect(VERIFY_TOKEN_WEBHOOK.httpMethod).toBe(
			'={{["meta"].includes($parameter["verification"]) ? "GET" : ""}}',
		);
	});

	it('comes after the events’ webhook, hidden in the editor', () => {
		const webhooks = trigger.description.webhooks!;
		expect(webhooks.indexOf(VERIFY_TOKEN_WEBHOOK)).toBe(1);
		expect(VERIFY_TOKEN_WEBHOOK).toMatchObject({ ndvHideUrl: true, isFullPath: true });
	});
});
