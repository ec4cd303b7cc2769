import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { accessTokens, tokensProblem } from '../../lib/dataset/access';
import { publishKeyProblem } from '../../lib/dataset/publishing/protocol';

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

/** Checks the publish key's format locally: it only ever signs requests to the node's own webhook. */
export async function testDataProviderPublishKey(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const problem = publishKeyProblem(String(credential.data?.secret ?? ''));
	return problem
		? { status: 'Error', message: problem }
		: { status: 'OK', message: 'The publish key is well-formed.' };
}
