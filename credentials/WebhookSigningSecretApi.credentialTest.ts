import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { secretProblem, secretToKey } from '../lib/signing/secrets';

const MIN_SECRET_BYTES = 24;

function fieldProblem(label: string, secret: string): string | undefined {
	// Every sender that hands out "whsec_" secrets writes base64 after it (Stripe's letters and
	// digits are base64 too), so a "whsec_" secret that is not is a mistyped one, for any scheme.
	const problem = secretProblem(secret, 'whsecOrText');
	if (problem) return `${label}: ${problem}`;
	return secretToKey(secret, 'whsecOrText').length < MIN_SECRET_BYTES
		? `${label} is too short: use at least ${MIN_SECRET_BYTES} random bytes (Standard Webhooks recommends 24 to 64).`
		: undefined;
}

/**
 * Checks the signing secret's format locally: there is no remote service to ask. How it is read
 * (text, base64, hex) depends on the node's scheme, which checks it once more for that reading.
 */
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
