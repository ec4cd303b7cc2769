import { ExternalDataProvider } from '../../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { PUBLISH_WEBHOOK } from '../../../../nodes/ExternalDataProvider/publishing/protocol';
import {
	publishSigningSecret,
	type PublishRequest,
} from '../../../../lib/dataset/publishing/protocol';
import { signedPublishRequest } from '../../../../lib/dataset/publishing/send';
import { INTERNAL_REFUSALS } from '../../../../lib/n8n/refusalLimit';
import { webhookContext } from '../../support/n8nContexts';

const provider = new ExternalDataProvider();
const TOKEN = 'example-node-token-0123';

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

	/** A publish from `ip`, signed with a key that is not the node's. */
	const forged = (ip: string) => {
		const secret = publishSigningSecret('example-key-someone-guessed-0123456789abcd', 'w', nodeId);
		const request: PublishRequest = {
			items: [{ a: 1 }],
			settings: { mode: 'replace', keepNewest: 0, maxBytes: 1000 },
		};
		const { body, headers } = signedPublishRequest(request, secret, `pub_${ip}`, new Date());
		return webhookContext(provider, {
			webhookName: PUBLISH_WEBHOOK,
			request: { method: 'POST', headers, rawBody: Buffer.from(body), ip },
			nodeId,
		});
	};

	it('refuses an address that used up its refusals without reading the publish key credential', async () => {
		for (let refusal = 0; refusal < INTERNAL_REFUSALS.maxRequests; refusal++) {
			expect(await call(forged('203.0.113.50'))).toEqual({ status: 401, readCredential: true });
		}
		expect(await call(forged('203.0.113.50'))).toEqual({ status: 429, readCredential: false });
		expect(await call(forged('198.51.100.50'))).toEqual({ status: 401, readCredential: true });
	});
});
