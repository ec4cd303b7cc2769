import type { ICredentialsDecrypted } from 'n8n-workflow';

import { testDataProviderPublishKey } from '../../../credentials/DataProviderPublishKeyApi.credentialTest';
import { credentialTestContext, PUBLISH_KEY } from '../support/n8nContexts';

describe('Data Provider Publish Key credential test', () => {
	const run = (data: Record<string, string>) =>
		testDataProviderPublishKey.call(credentialTestContext(), {
			id: 'c',
			name: 'c',
			type: 'dataProviderPublishKeyApi',
			data,
		} as ICredentialsDecrypted);

	it('passes a long random key', async () => {
		expect(await run({ secret: PUBLISH_KEY })).toEqual({
			status: 'OK',
			message: 'The publish key is well-formed.',
		});
	});

	it.each([
		['', /^The publish key is too short: use at least 32/],
		['a'.repeat(31), /^The publish key is too short/],
		[`${'a'.repeat(20)} ${'b'.repeat(20)}`, /^The publish key may not contain spaces/],
	])('refuses %j', async (publishKey, message) => {
		expect(await run({ secret: publishKey })).toEqual({
			status: 'Error',
			message: expect.stringMatching(message),
		});
	});
});
