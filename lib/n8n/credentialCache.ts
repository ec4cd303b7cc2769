import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import { createTtlCache } from '../store/ttlCache';

/** How long a credential read in a webhook request is reused; also how late an edit takes effect. */
const CREDENTIAL_REUSE_MS = 5_000;

const cache = createTtlCache<ICredentialDataDecryptedObject>(CREDENTIAL_REUSE_MS);

/**
 * The node's credential of `type`, read at most once per few seconds per credential. n8n decrypts
 * a credential and, under its default expression engine, builds a fresh expression isolate on
 * every read, which on a busy webhook costs more than the node's own work.
 */
export async function webhookCredentials<T extends object>(
	context: IWebhookFunctions,
	type: string,
): Promise<T> {
	const id = context.getNode().credentials?.[type]?.id;
	if (!id) return await context.getCredentials<T>(type);
	return (await cache.get(`${type}:${id}`, async () => await context.getCredentials(type))) as T;
}
