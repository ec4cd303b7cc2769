import { createHmac } from 'node:crypto';

import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { verificationProperties } from '../../../../nodes/FlowWebhookTrigger/description/verification';
import { webhookContext, type FakeRequest } from '../../support/n8nContexts';

const trigger = new FlowWebhookTrigger();
const SIGNING_VALUE = 'square signature value one';
const PUBLIC = 'https://n8n.example.com/webhook/square?shop=1';
const BODY = '{"type":"payment.created","event_id":"evt-1"}';

/** A Square delivery signed for `url`, received by n8n as `received` says. */
function squareRequest(url: string, received: Partial<FakeRequest> = {}): FakeRequest {
	return {
		headers: {
			'content-type': 'application/json',
			'x-square-hmacsha256-signature': createHmac('sha256', SIGNING_VALUE)
				.update(url + BODY)
				.digest('base64'),
		},
		rawBody: Buffer.from(BODY),
		...received,
	};
}

async function answer(request: FakeRequest, publicUrl?: string) {
	const exchange = webhookContext(trigger, {
		parameters: {
			verification: 'square',
			options: { eventIdField: 'event_id' },
			...(publicUrl === undefined ? {} : { publicUrl }),
		},
		credentials: { secret: SIGNING_VALUE },
		request,
	});
	const result = await trigger.webhook.call(exchange.context);
	return { result, ...exchange };
}

describe('Public URL, for senders that sign the URL they call', () => {
	it('is shown only for those senders, empty by default', () => {
		const property = verificationProperties.find(({ name }) => name === 'publicUrl');
		expect(property).toMatchObject({ type: 'string', default: '' });
		expect(property?.displayOptions?.show?.verification).toEqual(['square', 'hubspot', 'twilio']);
	});

	it('verifies the signature against the Public URL, whatever n8n received the request on', async () => {
		const behindProxy = { protocol: 'http', host: 'n8n:5678', originalUrl: '/webhook/square' };
		const { result } = await answer(squareRequest(PUBLIC, behindProxy), PUBLIC);
		expect(result.webhookResponse).toEqual({ received: true, id: 'evt-1' });
	});

	it('refuses a delivery signed for another URL with 401', async () => {
		const { response } = await answer(squareRequest(PUBLIC.replace('https', 'http')), PUBLIC);
		expect(response).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
	});

	it('when empty, uses the URL n8n received the request on, its query string included', async () => {
		const received = {
			protocol: 'https',
			host: 'n8n.example.com',
			originalUrl: '/webhook/square?shop=1',
		};
		const { result } = await answer(squareRequest(PUBLIC, received));
		expect(result.webhookResponse).toEqual({ received: true, id: 'evt-1' });
	});

	it('when empty and the request names no host, answers 500 misconfigured and logs how to fix it', async () => {
		const { response, logged } = await answer(squareRequest(PUBLIC, { host: '' }));
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(logged.join('\n')).toMatch(/URL this request was sent to is unknown/);
	});

	it.each([['n8n.example.com/webhook/square'], ['ftp://n8n.example.com/webhook/square']])(
		'answers 500 misconfigured for a Public URL that is no http(s) URL: %s',
		async (publicUrl) => {
			const { response, logged } = await answer(squareRequest(PUBLIC), publicUrl);
			expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
			expect(logged.join('\n')).toContain(`The Public URL "${publicUrl}"`);
		},
	);

	it('is ignored for a sender that does not sign the URL', async () => {
		const { context, response } = webhookContext(trigger, {
			parameters: { verification: 'stripe', publicUrl: 'not a URL' },
			credentials: { secret: SIGNING_VALUE },
			request: squareRequest(PUBLIC),
		});
		await trigger.webhook.call(context);
		expect(response).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
	});
});
