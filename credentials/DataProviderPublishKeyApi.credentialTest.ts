import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { publishKeyProblem } from '../lib/dataset/publishing/protocol';

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
