import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { secretToKey } from '../signing';

const MIN_SECRET_BYTES = 24;

/** Checks the signing secret's format locally: there is no remote service to ask. */
export async function testWebhookSigningSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const entries: Array<[string, unknown]> = [
		['Secret', data.secret],
		['Previous Secret', data.previousSecret],
	];
	for (const [label, value] of entries) {
		if (label === 'Previous Secret' && (value === undefined || value === '')) continue;
		try {
			const key = secretToKey(String(value ?? ''));
			if (key.length < MIN_SECRET_BYTES) {
				return { status: 'Error', message: `${label} is too short: use at least ${MIN_SECRET_BYTES} random bytes (Standard Webhooks recommends 24 to 64).` };
			}
		} catch (error) {
			return { status: 'Error', message: `${label}: ${(error as Error).message}` };
		}
	}
	return { status: 'OK', message: 'The secret is well-formed.' };
}
