import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { secretProblem, secretToKey } from '../lib/signing/secrets';

const MIN_SECRET_BYTES = 24;

function fieldProblem(label: string, secret: string): string | undefined {
	const problem = secretProblem(secret);
	if (problem) return `${label}: ${problem}`;
	return secretToKey(secret).length < MIN_SECRET_BYTES
		? `${label} is too short: use at least ${MIN_SECRET_BYTES} random bytes (Standard Webhooks recommends 24 to 64).`
		: undefined;
}

/** Checks the signing secret's format locally: there is no remote service to ask. */
export async function testWebhookSigningSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const { secret, previousSecret } = credential.data ?? {};
	const problem =
		fieldProblem('Secret', String(secret ?? '')) ??
		(previousSecret ? fieldProblem('Previous Secret', String(previousSecret)) : undefined);
	return problem
		? { status: 'Error', message: problem }
		: { status: 'OK', message: 'The secret is well-formed.' };
}
