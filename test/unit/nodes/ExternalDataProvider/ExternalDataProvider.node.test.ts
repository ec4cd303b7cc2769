import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { ExternalDataProvider } from '../../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import {
	publishSigningSecret,
	type PublishRequest,
} from '../../../../lib/dataset/publishing/protocol';
import { signedPublishRequest } from '../../../../lib/dataset/publishing/send';
import {
	executeContext,
	PUBLISH_KEY,
	webhookContext,
	webhookProcess,
	WORKFLOW_ID,
} from '../../support/n8nContexts';
import { standardWebhookHeaders } from '../../../support/events.cjs';
import { PUBLISH_WEBHOOK } from '../../../../nodes/ExternalDataProvider/publishing/protocol';

const provider = new ExternalDataProvider();
const TOKEN = 'example-node-token-0123';

/** The node every execute context and its webhook process share, as one node of a saved workflow. */
const NODE_ID = 'provider-under-test';

let servedWebhook: ReturnType<typeof webhookProcess> | undefined;

// The node publishes through its webhook with fetch; here the fake webhook process answers instead.
jest.mock('../../../../nodes/ExternalDataProvider/publishing/send', () => {
	const actual = jest.requireActual<
		typeof import('../../../../nodes/ExternalDataProvider/publishing/send')
	>('../../../../nodes/ExternalDataProvider/publishing/send');
	return {
		...actual,
		publishThroughWebhook: async (
			...[context, request]: Parameters<typeof actual.publishThroughWebhook>
		) => {
			if (!mockWebhookClient) throw new Error('this test serves no webhook');
			return await actual.publishThroughWebhook(context, request, mockWebhookClient);
		},
	};
});
let mockWebhookClient: typeof fetch | undefined;

/** Routes the node's publish requests to its webhook over `stored` (what the database holds). */
function serveWebhook(options: Parameters<typeof webhookProcess>[2] = {}) {
	servedWebhook = webhookProcess(provider, PUBLISH_WEBHOOK, { nodeId: NODE_ID, ...options });
	mockWebhookClient = servedWebhook.client;
	return servedWebhook;
}

afterEach(() => {
	servedWebhook = undefined;
	mockWebhookClient = undefined;
	jest.useRealTimers();
});

async function publishIn(
	staticData: IDataObject,
	json: IDataObject[],
	parameters: Record<string, unknown> = {},
	more: Parameters<typeof executeContext>[1] = {},
) {
	const { context, hints } = executeContext(provider, {
		nodeId: NODE_ID,
		items: json.map((item) => ({ json: item })),
		parameters,
		staticData,
		...more,
	});
	const output = await provider.execute.call(context);
	return { output, hints };
}

/** Static data of a run that already holds version 1 of `[{ a: 1 }]`, as a run of a single n8n process does. */
async function holdingVersionOne(): Promise<IDataObject> {
	const { stored } = serveWebhook();
	await publishIn({}, [{ a: 1 }]);
	return { ...stored };
}

describe('External Data Provider: execute()', () => {
	it('passes the items on unchanged, binary included, paired to their input', async () => {
		serveWebhook();
		const items = [
			{ json: { a: 1 }, binary: { file: { data: 'AA==', mimeType: 'text/plain' } } },
			{ json: { a: 2 }, pairedItem: { item: 7 } },
		];
		const { context } = executeContext(provider, { nodeId: NODE_ID, items });
		expect(await provider.execute.call(context)).toEqual([
			[
				{ ...items[0], pairedItem: { item: 0 } },
				{ json: { a: 2 }, pairedItem: { item: 1 } },
			],
		]);
	});

	it.each([
		['a Flow Webhook Trigger', 'n8n-nodes-flow-webhooks.flowWebhookTrigger', 1],
		['another trigger', 'n8n-nodes-base.webhook', 0],
	])(
		'warns in the output pane when %s starts its workflow, whose saves could undo its publishes',
		async (_case, parentType, warnings) => {
			serveWebhook();
			const { context, hints } = executeContext(provider, {
				nodeId: NODE_ID,
				items: [{ json: { a: 1 } }],
				parentTypes: [parentType, 'n8n-nodes-base.code'],
			});
			await provider.execute.call(context);
			const placement = hints.filter(
				(hint) => hint.type === 'warning' && /Execute Workflow/.test(hint.message),
			);
			expect(placement).toHaveLength(warnings);
		},
	);

	it('builds Append on what is stored, not on what the run holds', async () => {
		const { stored } = serveWebhook();
		const settings = { publishMode: 'append', keepNewest: 10 };
		await publishIn({}, [{ step: 1 }], settings);
		await publishIn({}, [{ step: 2 }], settings);
		expect(stored.dataset).toMatchObject({ json: '[{"step":1},{"step":2}]', version: 2 });
	});

	it("reaches the webhook under the node's webhook id, whatever its path, at n8n's webhook URL or under Webhook Base URL", async () => {
		const { requests } = serveWebhook();
		await publishIn(
			{},
			[{ a: 1 }],
			{ path: 'orders' },
			{ resumeUrl: 'https://hooks.example.com/base/webhook-waiting/9?x=1' },
		);
		await publishIn({}, [{ a: 2 }], {
			path: '/dash/',
			options: { webhookBaseUrl: 'http://n8n-webhook:5678/webhook/' },
		});
		expect(requests.map((request) => request.url)).toEqual([
			'https://hooks.example.com/base/webhook/generated-webhook-id/publish',
			'http://n8n-webhook:5678/webhook/generated-webhook-id/publish',
		]);
	});

	it('sends only the items that can end up published, and refuses data too large on its own without sending', async () => {
		const { requests, stored } = serveWebhook();
		await publishIn({}, [{ n: 1 }, { n: 2 }, { n: 3 }], { publishMode: 'append', keepNewest: 2 });
		await publishIn({}, [{ n: 4 }, { n: 5 }], { publishMode: 'singleObject' });
		expect(requests.map((request) => JSON.parse(request.body).items)).toEqual([
			[{ n: 2 }, { n: 3 }],
			[{ n: 4 }],
		]);
		const run = publishIn({}, [{ s: 'x'.repeat(2000) }], { options: { maxDatasetMb: 0.001 } });
		await expect(run).rejects.toThrow('over the 1.0 KB limit, so it was not published');
		await expect(run).rejects.toMatchObject({
			description: expect.stringMatching(/^GET requests keep getting the data published before\. /),
		});
		expect(requests).toHaveLength(2);
		expect(stored.dataset).toMatchObject({ version: 2 });
	});

	it('publishes within the run of a called workflow, whose static data n8n loads, even on workers', async () => {
		const { requests } = serveWebhook();
		const staticData: IDataObject = {};
		await publishIn(staticData, [{ a: 1 }], {}, { mode: 'integrated' });
		expect(requests).toEqual([]);
		expect(staticData.dataset).toMatchObject({ version: 1 });
	});

	it('keeps the version when the data did not change, on either path', async () => {
		const staticData = await holdingVersionOne();
		const stored = staticData.dataset;
		const { hints } = await publishIn(staticData, [{ a: 1 }]);
		expect(staticData.dataset).toBe(stored);
		expect(hints[0].message).toBe('The data is unchanged, so version 1 stays published.');

		serveWebhook({ stored: { ...staticData } });
		const routed = await publishIn({}, [{ a: 1 }]);
		expect(routed.hints[0].message).toBe('The data is unchanged, so version 1 stays published.');
	});

	it('fails a run whose data is over the size limit and leaves the published data as it was, on either path', async () => {
		const staticData = await holdingVersionOne();
		const published = staticData.dataset;
		const tooBig = [{ s: 'x'.repeat(2000) }];
		const run = publishIn(staticData, tooBig, { options: { maxDatasetMb: 0.001 } });
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toThrow(
			'The data is 2.0 KB as JSON, over the 1.0 KB limit, so it was not published',
		);
		await expect(run).rejects.toMatchObject({
			description: expect.stringContaining('published before (version 1)'),
		});
		expect(staticData.dataset).toBe(published);

		// Through the webhook: Append data over the limit only once merged with what is stored.
		const { stored } = serveWebhook();
		const appendSmall = { publishMode: 'append', keepNewest: 10, options: { maxDatasetMb: 0.001 } };
		await publishIn({}, [{ s: 'x'.repeat(600) }], appendSmall);
		const first = stored.dataset;
		const routed = publishIn({}, [{ s: 'y'.repeat(600) }], appendSmall);
		await expect(routed).rejects.toThrow('over the 1.0 KB limit, so it was not published');
		await expect(routed).rejects.toMatchObject({
			description: expect.stringContaining('published before (version 1)'),
		});
		expect(stored.dataset).toBe(first);
	});

	it('retries while n8n is busy or the answer is lost, and a retry never publishes twice', async () => {
		jest.useFakeTimers();
		const { stored, requests } = serveWebhook({ deliveries: [503, 'loseAnswer'] });
		const run = publishIn({}, [{ step: 1 }], { publishMode: 'append', keepNewest: 10 });
		await jest.runAllTimersAsync();
		const { hints } = await run;
		expect(requests).toHaveLength(3);
		expect(new Set(requests.map((request) => request.headers['webhook-id'])).size).toBe(1);
		expect(stored.dataset).toMatchObject({ json: '[{"step":1}]', version: 1 });
		expect(hints[0].message).toBe('This publish had already arrived; version 1 is published.');
	});

	it('fails, publishing nothing and writing nothing in the run, when the webhook cannot be reached', async () => {
		jest.useFakeTimers();
		const { requests } = serveWebhook({
			deliveries: ['refuseConnection', 'refuseConnection', 'refuseConnection'],
		});
		const staticData: IDataObject = {};
		const run = publishIn(staticData, [{ a: 1 }]);
		const settled = run.catch((error: unknown) => error);
		await jest.runAllTimersAsync();
		const error = (await settled) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("Could not publish through this node's webhook");
		expect(error.description).toMatch(
			/^http:\/\/localhost:5678\/webhook\/generated-webhook-id\/publish could not be reached \(ECONNREFUSED\)\. /,
		);
		expect(error.description).toContain('Options › Webhook Base URL');
		expect(requests).toHaveLength(3);
		expect(staticData).toEqual({});
	});

	it.each([
		[404, 'n8n has no such webhook'],
		[500, 'n8n failed'],
		[200, 'something other than n8n answered'],
	])('fails at once, writing nothing, when the answer is %s: %s', async (status) => {
		const { requests } = serveWebhook({ deliveries: [status] });
		const staticData: IDataObject = {};
		await expect(publishIn(staticData, [{ a: 1 }])).rejects.toMatchObject({
			message: "Could not publish through this node's webhook",
			description: expect.stringContaining(`answered HTTP ${status}.`),
		});
		expect(requests).toHaveLength(1);
		expect(staticData).toEqual({});
	});

	it('fails before sending anything when the publish key is too short to be a secret', async () => {
		const { requests } = serveWebhook();
		await expect(publishIn({}, [{ a: 1 }], {}, { publishKey: 'short' })).rejects.toThrow(
			'Data Provider Publish Key credential: The publish key is too short',
		);
		expect(requests).toHaveLength(0);
	});

	it('fails a run whose data nests too deeply, publishing nothing, on either path', async () => {
		const deep = [{ deep: JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown }];
		const { requests } = serveWebhook();
		const routed = publishIn({}, deep as IDataObject[]);
		await expect(routed).rejects.toThrow(
			'The data nests arrays and objects more than 1000 levels deep, so it was not published',
		);
		expect(requests).toEqual([]);

		const staticData = await holdingVersionOne();
		const published = staticData.dataset;
		await expect(publishIn(staticData, deep as IDataObject[])).rejects.toThrow(NodeOperationError);
		expect(staticData.dataset).toBe(published);
	});

	it('refuses settings an expression pushed out of range', async () => {
		const run = publishIn({}, [{ a: 1 }], { publishMode: 'append', keepNewest: 0 });
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toThrow(/^Keep Newest Items must be a whole number/);
	});
});

describe('External Data Provider: webhook()', () => {
	it('answers from static data without changing it, and starts no execution', async () => {
		const staticData = await holdingVersionOne();
		const before = JSON.stringify(staticData);
		const { context, response } = webhookContext(provider, { staticData });
		expect(await provider.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 200, writtenWith: 'send' });
		expect(JSON.parse(response.body as string).data).toEqual([{ a: 1 }]);
		expect(response.headers.etag).toMatch(/^"1-/);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	it('serves an empty object before a Single Object is published', async () => {
		const { context, response } = webhookContext(provider, {
			parameters: { publishMode: 'singleObject' },
		});
		await provider.webhook.call(context);
		expect(JSON.parse(response.body as string).data).toEqual({});
	});

	it('serves an Append list inside the object its settings name, trimmed; Single Object ignores them', async () => {
		const servedAs = {
			servedAs: 'objectWithList',
			listField: ' alerts ',
			countField: 'active_alerts_count',
			updatedField: '',
		};
		const wrapped = webhookContext(provider, {
			parameters: { publishMode: 'append', ...servedAs },
		});
		await provider.webhook.call(wrapped.context);
		expect(JSON.parse(wrapped.response.body as string).data).toEqual({
			alerts: [],
			active_alerts_count: 0,
		});
		const single = webhookContext(provider, {
			parameters: { publishMode: 'singleObject', ...servedAs },
		});
		await provider.webhook.call(single.context);
		expect(JSON.parse(single.response.body as string).data).toEqual({});
	});

	it('keeps an address out of the allowlist before reading its credential, with the CORS headers a browser needs', async () => {
		// No credential is set: reading it would answer 500 misconfigured instead of 403.
		const { context, response } = webhookContext(provider, {
			parameters: {
				authentication: 'bearerToken',
				options: { allowedOrigins: 'https://dash.example' },
				security: { ipAllowlist: '10.0.0.0/8' },
			},
			request: { headers: { origin: 'https://dash.example' }, ip: '203.0.113.9' },
		});
		await provider.webhook.call(context);
		expect(response).toMatchObject({
			status: 403,
			body: { error: 'ip_not_allowed' },
			headers: { 'access-control-allow-origin': 'https://dash.example' },
		});
	});

	it('removes the Allow-Origin header n8n set by its own rules, adding one only for listed origins', async () => {
		const presetHeaders = { 'Access-Control-Allow-Origin': 'https://evil.example' };
		const denied = webhookContext(provider, {
			presetHeaders,
			request: { headers: { origin: 'https://evil.example' } },
		});
		await provider.webhook.call(denied.context);
		expect(denied.response.headers).not.toHaveProperty('access-control-allow-origin');

		const allowed = webhookContext(provider, {
			presetHeaders,
			parameters: { options: { allowedOrigins: 'https://dash.example' } },
			request: { headers: { origin: 'https://dash.example' } },
		});
		await provider.webhook.call(allowed.context);
		expect(allowed.response.headers['access-control-allow-origin']).toBe('https://dash.example');
	});

	it('checks bearer tokens from the credential', async () => {
		const parameters = { authentication: 'bearerToken' };
		const credentials = { token: TOKEN, additionalTokens: '' };
		const refused = webhookContext(provider, { parameters, credentials });
		await provider.webhook.call(refused.context);
		expect(refused.response).toMatchObject({
			status: 401,
			headers: { 'www-authenticate': 'Bearer realm="n8n"' },
		});

		const accepted = webhookContext(provider, {
			parameters,
			credentials,
			request: { headers: { authorization: `Bearer ${TOKEN}` } },
		});
		await provider.webhook.call(accepted.context);
		expect(accepted.response.status).toBe(200);
	});

	it('checks the custom header the node names', async () => {
		const { context, response } = webhookContext(provider, {
			parameters: { authentication: 'customHeader', headerName: 'X-Feed-Key' },
			credentials: { token: TOKEN },
			request: { headers: { 'x-feed-key': TOKEN } },
		});
		await provider.webhook.call(context);
		expect(response.status).toBe(200);
	});

	it('answers 500 misconfigured, logging why but showing no token, when the credential is unfit', async () => {
		const { context, response, logged } = webhookContext(provider, {
			parameters: { authentication: 'bearerToken' },
			credentials: { token: 'short' },
			request: { headers: { authorization: 'Bearer short' } },
		});
		await expect(provider.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(JSON.stringify(response.body)).not.toContain('short');
		expect(logged.join('\n')).toMatch(
			/misconfigured: Data Provider Access credential: The token is too short/,
		);
	});

	it.each([
		['a maximum page size that is not a number', { options: { maxPageSize: 'lots' } }],
		[
			'a Cache-Control value with a line break',
			{ options: { cacheControl: 'no-cache\r\nSet-Cookie: x=1' } },
		],
		['a header name with a space', { authentication: 'customHeader', headerName: 'X Key' }],
		['a list served in an object under no name', { servedAs: 'objectWithList', listField: ' ' }],
		[
			'two fields of the served object with one name',
			{ servedAs: 'objectWithList', listField: 'alerts', countField: 'alerts' },
		],
	])('answers 500 misconfigured for %s, instead of failing the request', async (_, parameters) => {
		const { context, response } = webhookContext(provider, {
			parameters,
			credentials: { token: TOKEN },
		});
		await expect(provider.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
	});
});

describe('External Data Provider: publish webhook', () => {
	it('refuses an unsigned publish with 401, stores nothing and logs the refusal without the data', async () => {
		const staticData: IDataObject = {};
		const body = JSON.stringify({
			items: [{ secret: 'payload' }],
			settings: { mode: 'replace', keepNewest: 0, maxBytes: 1000 },
		});
		const { context, response, lines } = webhookContext(provider, {
			webhookName: PUBLISH_WEBHOOK,
			staticData,
			request: {
				headers: { 'content-type': 'application/json' },
				rawBody: Buffer.from(body),
			},
		});
		expect(await provider.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
		expect(staticData).toEqual({});
		expect(lines).toHaveLength(1);
		expect(lines[0].message).toContain('missing_signature');
		expect(lines[0].message).not.toContain('payload');
	});

	it('refuses a signed publish nested too deeply to serialise with 400, instead of failing with a 500', async () => {
		const staticData: IDataObject = {};
		const depth = 100_000;
		const body = JSON.stringify({
			items: [{ deep: 0 }],
			settings: { mode: 'replace', keepNewest: 0, maxBytes: 1000 },
		}).replace('"deep":0', `"deep":${'['.repeat(depth)}${']'.repeat(depth)}`);
		const nodeId = 'node-receiving-deep-data';
		const headers = standardWebhookHeaders(body, {
			id: 'pub_deep',
			secret: publishSigningSecret(PUBLISH_KEY, WORKFLOW_ID, nodeId),
		});
		const { context, response, lines } = webhookContext(provider, {
			webhookName: PUBLISH_WEBHOOK,
			nodeId,
			staticData,
			request: { headers, rawBody: Buffer.from(body) },
		});
		expect(await provider.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({
			status: 400,
			body: { error: 'too_deeply_nested', message: expect.stringContaining('1000 levels') },
		});
		expect(staticData).toEqual({});
		expect(lines.map((line) => line.message)).toEqual([
			expect.stringContaining('reason="too_deeply_nested"'),
		]);
	});

	/** A publish request to the node `nodeId`, signed with `publishKey`, from `ip`. */
	function publishRequest(options: { ip: string; nodeId: string; publishKey?: string | null }) {
		const secret = publishSigningSecret(PUBLISH_KEY, 'workflow-1', options.nodeId);
		const request = {
			items: [{ a: 1 }],
			settings: { mode: 'replace', keepNewest: 0, maxBytes: 1000 },
		};
		const { body, headers } = signedPublishRequest(
			request as PublishRequest,
			secret,
			`pub_${options.ip}`,
			new Date(),
		);
		return webhookContext(provider, {
			webhookName: PUBLISH_WEBHOOK,
			nodeId: options.nodeId,
			publishKey: options.publishKey,
			request: { headers, rawBody: Buffer.from(body), ip: options.ip },
		});
	}

	it('publishes a signed publish from an address that sent any number of forged ones', async () => {
		const nodeId = 'node-with-refusals';
		const forged = Array.from({ length: 30 }, () =>
			publishRequest({
				ip: '203.0.113.9',
				nodeId,
				publishKey: 'example-key-someone-guessed-0123456789abcd',
			}),
		);
		await Promise.all(forged.map(({ context }) => provider.webhook.call(context)));
		expect(forged.map(({ response }) => response.body)).toEqual(
			forged.map(() => expect.objectContaining({ error: 'publish_key_changed' })),
		);
		const genuine = publishRequest({ ip: '203.0.113.9', nodeId });
		expect(await provider.webhook.call(genuine.context)).toMatchObject({
			webhookResponse: { outcome: 'published', version: 1 },
		});
	});

	it('answers 500 misconfigured and publishes nothing when the node has no publish key credential', async () => {
		const { context, response, staticData, logged } = publishRequest({
			ip: '10.0.0.6',
			nodeId: 'node-without-key',
			publishKey: null,
		});
		expect(await provider.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
		expect(staticData).toEqual({});
		expect(logged.join('\n')).toContain('Data Provider Publish Key');
	});

	it('publishes past the Security options, which guard readers; the signature guards publishes', async () => {
		const security = { security: { ipAllowlist: '10.9.9.0/24', rateLimitRequests: 1 } };
		const { stored } = serveWebhook({ parameters: security });
		await publishIn({}, [{ a: 1 }], security);
		await publishIn({}, [{ a: 2 }], security);
		expect(stored.dataset).toMatchObject({ json: '[{"a":2}]', version: 2 });
	});
});

describe('External Data Provider: description', () => {
	const { description } = provider;

	it('declares its webhooks only for published workflows, so manual runs never wait for a request', () => {
		expect(description.webhooks).toEqual([
			expect.objectContaining({
				name: 'default',
				httpMethod: '={{$workflow.active ? "GET" : ""}}',
				isFullPath: true,
				path: '={{$parameter["path"]}}',
			}),
			expect.objectContaining({
				name: PUBLISH_WEBHOOK,
				httpMethod: '={{$workflow.active ? "POST" : ""}}',
				path: 'publish',
				ndvHideUrl: true,
			}),
		]);
		expect(description.webhooks?.[0]).not.toHaveProperty('restartWebhook');
		expect(description.webhooks?.[1]).not.toHaveProperty('isFullPath');
		expect(Object.keys(provider.webhookMethods)).toEqual(['default', PUBLISH_WEBHOOK]);
	});

	it('has the credential tests it names', () => {
		const testedBy = description.credentials?.map((credential) => credential.testedBy);
		expect(Object.keys(provider.methods.credentialTest)).toEqual(testedBy);
	});

	it('always needs a publish key credential, whatever the authentication of readers', () => {
		expect(description.credentials).toContainEqual({
			name: 'dataProviderPublishKeyApi',
			required: true,
			testedBy: 'dataProviderPublishKeyTest',
		});
	});

	it('has one input and one output, and can be used as a tool', () => {
		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
		expect(description.usableAsTool).toBe(true);
	});
});
