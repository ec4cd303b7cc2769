import type { ICredentialsDecrypted } from 'n8n-workflow';

import { testWebhookSigningSecret } from '../../../credentials/WebhookSigningSecretApi.credentialTest';
import { credentialTestContext } from '../support/n8nContexts';

function check(data: Record<string, string>) {
	const credential = {
		id: '1',
		name: 'c',
		type: 'webhookSigningSecretApi',
		data,
	} as ICredentialsDecrypted;
	return testWebhookSigningSecret.call(credentialTestContext(), credential);
}

const strong = 'whsec_' + Buffer.alloc(32, 9).toString('base64');

describe('the signing secret credential test', () => {
	it('passes a well-formed secret', async () => {
		await expect(check({ secret: strong })).resolves.toEqual({
			status: 'OK',
			message: 'The secret is well-formed.',
		});
	});

	it('passes a long plain-text secret, as GitHub and Stripe use', async () => {
		await expect(
			check({ secret: 'a plain text shared value of decent length' }),
		).resolves.toMatchObject({ status: 'OK' });
	});

	it.each([
		['an empty secret', { secret: '' }, /^Secret: The signing secret is empty/],
		['a short secret', { secret: 'short' }, /^Secret is too short: use at least 24/],
		[
			'a whsec_ secret that is not base64',
			{ secret: 'whsec_not*base64' },
			/^Secret: A secret starting with "whsec_"/,
		],
		[
			'a bad previous secret',
			{ secret: strong, previousSecret: 'whsec_%%%' },
			/^Previous Secret: /,
		],
	])('fails %s with a message saying what to fix', async (_, data, message) => {
		const result = await check(data);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});

	it('never repeats the secret in its message', async () => {
		const result = await check({ secret: 'whsec_not*base64' });
		expect(result.message).not.toContain('not*base64');
	});
});
