import { ExternalDataProvider } from '../../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { PUBLISH_WEBHOOK } from '../../../../nodes/ExternalDataProvider/publishing/protocol';
import {
	publishSigningSecret,
	type PublishRequest,
} from '../../../../lib/dataset/publishing/protocol';
import { signedPublishRequest } from '../../../../lib/dataset/publishing/send';
import { webhookContext } from '../../support/n8nContexts';

const provider = new ExternalDataProvider();
const TOKEN = 'example-node-token-0123';
const PUBLISH_KEY = 'example-publish-key-of-the-node-0123456789';

/** Calls the webhook and reports its answer's status and whether it read (decrypted) a credential. */
async function call(request: ReturnType<typeof webhookContext>) {
	await provider.webhook.call(request.context);
	return { status: request.response.status, readCredential: request.credentialReads.length > 0 };
}

describe('Data endpoint (GET)', () => {
	const get = (ip: string) =>
		webhookContext(provider, {
			parameters: { authentication: 'bearerToken', security: { ipAllowlist: '10.0.0.0/8' } },
			credentials: { token: TOKEN },
			request: { headers: { authorization: `Bearer ${TOKEN}` }, ip },
		});

	it('refuses an address outside the IP allowlist without reading its access credential', async () => {
		expect(await call(get('203.0.113.9'))).toEqual({ status: 403, readCredential: false });
		expect(await call(get('10.1.2.3'))).toEqual({ status: 200, readCredential: true });
	});
});

describe('Publish webhook', () => {
	const nodeId = 'node-guarding-its-publish-key';

	/** A publish from `ip`, signed with `publishKey` (by default a key that is not the node's). */
	const publish = (ip: string, publishKey = 'example-key-someone-guessed-0123456789abcd') => {
		const secret = publishSigningSecret(publishKey, 'workflow-1', nodeId);
		const request: PublishRequest = {
			items: [{ a: 1 }],
			settings: { mode: 'replace', keepNewest: 0, maxBytes: 1000 },
		};
		const { body, headers } = signedPublishRequest(request, secret, `pub_${ip}`, new Date());
		return webhookContext(provider, {
			webhookName: PUBLISH_WEBHOOK,
			request: { method: 'POST', headers, rawBody: Buffer.from(body), ip },
			nodeId,
			credentialId: 'publish-flood-credential',
			publishKey: PUBLISH_KEY,
		});
	};

	it('reads the publish key once for forged publishes from many addresses at once', async () => {
		const forged = Array.from({ length: 50 }, (_, index) => publish(`203.0.113.${index}`));
		const reads = await Promise.all(forged.map(call));
		expect(reads.map(({ status }) => status)).toEqual(forged.map(() => 401));
		expect(reads.filter(({ readCredential }) => readCredential)).toHaveLength(1);
	});
});
