import { NodeOperationError } from 'n8n-workflow';

import { ExternalDataProvider } from '../../../../nodes/ExternalDataProvider/ExternalDataProvider.node';

import {
	readPublishSecret,
	readPublishSettings,
	readProviderOptions,
	readServeConfig,
} from '../../../../nodes/ExternalDataProvider/config';
import { executeContext, webhookContext } from '../../support/n8nContexts';

const provider = new ExternalDataProvider();

const TOKEN = 'example-node-token-0123';

/** A NodeOperationError whose message starts as given and that says how to fix it. */
function explainedError(message: RegExp) {
	return expect.objectContaining({
		constructor: NodeOperationError,
		message: expect.stringMatching(message),
		description: expect.stringMatching(/\w/),
	});
}

describe('readServeConfig', () => {
	it.each([
		[
			'a maximum page size that is not a number',
			{ options: { maxPageSize: 'lots' } },
			/^Max Page Size/,
		],
		[
			'a Cache-Control value with a line break',
			{ options: { cacheControl: 'no-cache\r\nSet-Cookie: x=1' } },
			/^Cache-Control Header/,
		],
		[
			'a header name with a space',
			{ authentication: 'customHeader', headerName: 'X Key' },
			/cannot be a header name/,
		],
		[
			'a list served in an object under no name',
			{ servedAs: 'objectWithList', listField: ' ' },
			/^List Field must name/,
		],
	])('throws a NodeOperationError with advice for %s', async (_, parameters, message) => {
		const { context } = webhookContext(provider, { parameters, credentials: { token: TOKEN } });
		await expect(readServeConfig(context, readProviderOptions(context))).rejects.toEqual(
			explainedError(message),
		);
	});

	it('throws a NodeOperationError with advice when the access credential is missing or weak', async () => {
		const parameters = { authentication: 'bearerToken' };
		const missing = webhookContext(provider, { parameters });
		await expect(
			readServeConfig(missing.context, readProviderOptions(missing.context)),
		).rejects.toEqual(explainedError(/^The node has no Data Provider Access credential/));
		const weak = webhookContext(provider, { parameters, credentials: { token: 'short' } });
		await expect(readServeConfig(weak.context, readProviderOptions(weak.context))).rejects.toEqual(
			explainedError(/^Data Provider Access credential: The token is too short/),
		);
	});
});

describe('readPublishSettings', () => {
	it('throws a NodeOperationError with advice for settings an expression pushed out of range', () => {
		const { context } = executeContext(provider, {
			items: [],
			parameters: { publishMode: 'append', keepNewest: 0 },
		});
		expect(() => readPublishSettings(context)).toThrow(
			explainedError(/^Keep Newest Items must be a whole number/),
		);
	});
});

describe('readPublishSecret', () => {
	it.each([
		['is missing', null, /^The node has no Data Provider Publish Key credential/],
		[
			'is too short',
			'short',
			/^Data Provider Publish Key credential: The publish key is too short/,
		],
	])('throws a NodeOperationError with advice when the publish key %s', async (_, key, message) => {
		const { context } = webhookContext(provider, { publishKey: key });
		const read = async (type: string) => await context.getCredentials<{ secret?: unknown }>(type);
		await expect(readPublishSecret(context, read)).rejects.toEqual(explainedError(message));
	});
});
