import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { secretToKey } from '../lib/signing/secrets';

const MIN_SECRET_BYTES = 24;

function secretProblem(label: string, secret: string): string | undefined {
	try {
		const key = secretToKey(secret);
		return key.length < MIN_SECRET_BYTES
			? `${label} is too short: use at least ${MIN_SECRET_BYTES} random bytes (Standard Webhooks recommends 24 to 64).`
			: undefined;
	} catch (error) {
		return `${label}: ${(error as Error).message}`;
	}
}

/** Checks the signing secret's format locally: there is no remote service to ask. */
export async function testWebhookSigningSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const { secret, previousSecret } = credential.data ?? {};
	const problem =
		secretProblem('Secret', String(secret ?? '')) ??
		(previousSecret ? secretProblem('Previous Secret', String(previousSecret)) : undefined);
	return problem
		? { status: 'Error', message: problem }
		: { status: 'OK', message: 'The secret is well-formed.' };
}
