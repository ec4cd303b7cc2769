import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { accessTokens, tokensProblem } from '../lib/dataset/access';

/** Checks the tokens' format locally: they are only ever compared, there is no service to ask. */
export async function testDataProviderAccess(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const problem = tokensProblem(
		accessTokens(String(data.token ?? ''), String(data.additionalTokens ?? '')),
	);
	return problem
		? { status: 'Error', message: problem }
		: { status: 'OK', message: 'The tokens are well-formed.' };
}
