import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
} from 'n8n-workflow';

import { ExternalDataProvider } from '../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { testDataProviderAccess } from '../../../nodes/ExternalDataProvider/credentialTest';
import { fakeExecuteContext, fakeWebhookContext } from './fakeContexts';

const provider = new ExternalDataProvider();
const TOKEN = 'example-node-token-0123';

async function publishIn(
	staticData: IDataObject,
	json: IDataObject[],
	parameters: Record<string, unknown> = {},
	upstreamTypes?: string[],
) {
	const { context, hints } = fakeExecuteContext({
		items: json.map((item) => ({ json: item })),
		parameters,
		staticData,
		upstreamTypes,
	});
	const output = await provider.execute.call(context);
	return { output, hints };
}

describe('External Data Provider: execute()', () => {
	it('passes the items on unchanged, binary included, paired to their input', async () => {
		const items = [
			{ json: { a: 1 }, binary: { file: { data: 'AA==', mimeType: 'text/plain' } } },
			{ json: { a: 2 }, pairedItem: { item: 7 } },
		];
		const { context } = fakeExecuteContext({ items });
		expect(await provider.execute.call(context)).toEqual([
			[
				{ ...items[0], pairedItem: { item: 0 } },
				{ json: { a: 2 }, pairedItem: { item: 1 } },
			],
		]);
	});

	it('publishes into the node static data in production, and says so on the output', async () => {
		const staticData: IDataObject = {};
		const { hints } = await publishIn(staticData, [{ a: 1 }, { a: 2 }]);
		expect(staticData.dataset).toMatchObject({
			shape: 'list',
			json: '[{"a":1},{"a":2}]',
			total: 2,
			version: 1,
		});
		expect(hints[0]).toEqual({
			type: 'info',
			location: 'outputPane',
			message: 'Published 2 items (17 bytes) as version 1.',
		});
	});

	it('warns about queue mode when a triggered run finds nothing published before', async () => {
		const staticData: IDataObject = {};
		const { hints } = await publishIn(staticData, [{ a: 1 }]);
		expect(hints[1]).toMatchObject({ type: 'warning', location: 'outputPane' });
		expect(hints[1].message).toMatch(
			/^No earlier data was found\. If .* queue mode, workers start/,
		);
		expect(hints[1].message).toContain('call it with Execute Workflow');

		const next = await publishIn(staticData, [{ a: 2 }]);
		expect(next.hints).toHaveLength(1);
	});

	it('does not warn in a workflow called by another, where n8n loads the stored data on workers too', async () => {
		const called = ['n8n-nodes-base.code', 'n8n-nodes-base.executeWorkflowTrigger'];
		const { hints } = await publishIn({}, [{ a: 1 }], {}, called);
		expect(hints).toHaveLength(1);
		expect(hints[0].type).toBe('info');
	});

	it('keeps the version when the data did not change', async () => {
		const staticData: IDataObject = {};
		await publishIn(staticData, [{ a: 1 }]);
		const stored = staticData.dataset;
		const { hints } = await publishIn(staticData, [{ a: 1 }]);
		expect(staticData.dataset).toBe(stored);
		expect(hints[0].message).toBe('The data is unchanged, so version 1 stays published.');
	});

	it('publishes nothing in a manual run and warns on the output', async () => {
		const { context, staticData, hints } = fakeExecuteContext({
			items: [{ json: { a: 1 } }],
			mode: 'manual',
		});
		const [output] = await provider.execute.call(context);
		expect(output).toHaveLength(1);
		expect(staticData).toEqual({});
		expect(hints).toEqual([
			{
				type: 'warning',
				location: 'outputPane',
				message:
					'Nothing was published: n8n keeps no data from manual runs. Runs of the published workflow publish; this one would have published 1 item (9 bytes).',
			},
		]);
	});

	it('fails a run whose data is over the size limit and leaves the published data as it was', async () => {
		const staticData: IDataObject = {};
		await publishIn(staticData, [{ a: 1 }]);
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
	});

	it('outputs the size error as an item when the node continues on fail', async () => {
		const { context, staticData } = fakeExecuteContext({
			items: [{ json: { s: 'x'.repeat(2000) } }, { json: {} }],
			parameters: { options: { maxDatasetMb: 0.001 } },
			continueOnFail: true,
		});
		const [output] = await provider.execute.call(context);
		expect(output).toEqual([
			{
				json: { error: expect.stringMatching(/^The data is/) },
				pairedItem: [{ item: 0 }, { item: 1 }],
			},
		]);
		expect(staticData).toEqual({});
	});

	it('refuses settings an expression pushed out of range', async () => {
		const run = publishIn({}, [{ a: 1 }], { publishMode: 'append', keepNewest: 0 });
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toThrow(/^Keep Newest Items must be a whole number/);
	});
});

describe('External Data Provider: webhook()', () => {
	it('answers from static data without changing it, and starts no execution', async () => {
		const staticData: IDataObject = {};
		await publishIn(staticData, [{ a: 1 }]);
		const before = JSON.stringify(staticData);
		const { context, response } = fakeWebhookContext({
			parameters: { authentication: 'none', options: {} },
			staticData,
		});
		expect(await provider.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 200, writtenWith: 'send' });
		expect(JSON.parse(response.body as string).data).toEqual([{ a: 1 }]);
		expect(response.headers.ETag).toMatch(/^"1-/);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	it('serves an empty object before a Single Object is published', async () => {
		const { context, response } = fakeWebhookContext({
			parameters: { publishMode: 'singleObject' },
		});
		await provider.webhook.call(context);
		expect(JSON.parse(response.body as string).data).toEqual({});
	});

	it('removes the Allow-Origin header n8n set by its own rules, adding one only for listed origins', async () => {
		const presetHeaders = { 'Access-Control-Allow-Origin': 'https://evil.example' };
		const denied = fakeWebhookContext({
			presetHeaders,
			headers: { origin: 'https://evil.example' },
		});
		await provider.webhook.call(denied.context);
		expect(denied.response.headers).not.toHaveProperty('Access-Control-Allow-Origin');

		const allowed = fakeWebhookContext({
			presetHeaders,
			parameters: { options: { allowedOrigins: 'https://dash.example' } },
			headers: { origin: 'https://dash.example' },
		});
		await provider.webhook.call(allowed.context);
		expect(allowed.response.headers['Access-Control-Allow-Origin']).toBe('https://dash.example');
	});

	it('checks bearer tokens from the credential', async () => {
		const parameters = { authentication: 'bearerToken' };
		const credentials = { token: TOKEN, additionalTokens: '' };
		const refused = fakeWebhookContext({ parameters, credentials });
		await provider.webhook.call(refused.context);
		expect(refused.response).toMatchObject({
			status: 401,
			headers: { 'WWW-Authenticate': 'Bearer realm="n8n"' },
		});

		const accepted = fakeWebhookContext({
			parameters,
			credentials,
			headers: { authorization: `Bearer ${TOKEN}` },
		});
		await provider.webhook.call(accepted.context);
		expect(accepted.response.status).toBe(200);
	});

	it('checks the custom header the node names', async () => {
		const { context, response } = fakeWebhookContext({
			parameters: { authentication: 'customHeader', headerName: 'X-Feed-Key' },
			credentials: { token: TOKEN },
			headers: { 'x-feed-key': TOKEN },
		});
		await provider.webhook.call(context);
		expect(response.status).toBe(200);
	});

	it('answers 500 misconfigured, logging why but showing no token, when the credential is unfit', async () => {
		const { context, response, logged } = fakeWebhookContext({
			parameters: { authentication: 'bearerToken' },
			credentials: { token: 'short' },
			headers: { authorization: 'Bearer short' },
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
	])('answers 500 misconfigured for %s, instead of failing the request', async (_, parameters) => {
		const { context, response } = fakeWebhookContext({ parameters, credentials: { token: TOKEN } });
		await expect(provider.webhook.call(context)).resolves.toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 500, body: { error: 'misconfigured' } });
	});
});

describe('External Data Provider: description', () => {
	const { description } = provider;

	it('declares its webhook method only for published workflows, so manual runs never wait for a GET', () => {
		expect(description.webhooks).toEqual([
			expect.objectContaining({
				httpMethod: '={{$workflow.active ? "GET" : ""}}',
				isFullPath: true,
				path: '={{$parameter["path"]}}',
			}),
		]);
		expect(description.webhooks?.[0]).not.toHaveProperty('restartWebhook');
	});

	it('has the credential test it names', () => {
		const testedBy = description.credentials?.[0].testedBy as string;
		expect(Object.keys(provider.methods.credentialTest)).toEqual([testedBy]);
	});

	it('has one input and one output, and can be used as a tool', () => {
		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
		expect(description.usableAsTool).toBe(true);
	});
});

describe('Data Provider Access credential test', () => {
	const run = (data: Record<string, string>) =>
		testDataProviderAccess.call(
			{} as ICredentialTestFunctions,
			{ id: 'c', name: 'c', type: 'dataProviderAccessApi', data } as ICredentialsDecrypted,
		);

	it('passes well-formed tokens', async () => {
		expect(await run({ token: TOKEN, additionalTokens: 'example-second-token-0123' })).toEqual({
			status: 'OK',
			message: 'The tokens are well-formed.',
		});
	});

	it('reports the first problem', async () => {
		expect(await run({ token: TOKEN, additionalTokens: 'short' })).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Additional token 1 is too short/),
		});
		expect(await run({ token: '' })).toEqual({
			status: 'Error',
			message: 'Enter at least one token.',
		});
	});
});
