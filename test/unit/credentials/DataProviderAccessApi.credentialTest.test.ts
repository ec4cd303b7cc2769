import type { ICredentialsDecrypted } from 'n8n-workflow';

import { testDataProviderAccess } from '../../../credentials/DataProviderAccessApi.credentialTest';
import { credentialTestContext } from '../support/n8nContexts';

const TOKEN = 'example-node-token-0123';

describe('Data Provider Access credential test', () => {
	const run = (data: Record<string, string>) =>
		testDataProviderAccess.call(credentialTestContext(), {
			id: 'c',
			name: 'c',
			type: 'dataProviderAccessApi',
			data,
		} as ICredentialsDecrypted);

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
