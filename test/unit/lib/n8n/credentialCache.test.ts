import { sleep } from 'n8n-workflow';

import { webhookCredentials } from '../../../../lib/n8n/credentialCache';
import { createTtlCache } from '../../../../lib/store/ttlCache';
import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { webhookContext } from '../../support/n8nContexts';

const trigger = new FlowWebhookTrigger();

describe('createTtlCache', () => {
	it('reuses a loaded value until it expires, then loads again', async () => {
		let clock = 0;
		const cache = createTtlCache<number>(1000, () => clock);
		let loads = 0;
		const load = async () => ++loads;
		expect(await cache.get('a', load)).toBe(1);
		clock = 999;
		expect(await cache.get('a', load)).toBe(1);
		clock = 1000;
		expect(await cache.get('a', load)).toBe(2);
		expect(await cache.get('b', load)).toBe(3);
	});

	it('shares one load among callers that ask at the same time', async () => {
		const cache = createTtlCache<string>(1000);
		let loads = 0;
		const load = async () => {
			loads++;
			await sleep(1);
			return 'value';
		};
		expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual([
			'value',
			'value',
		]);
		expect(loads).toBe(1);
	});

	it('forgets a failed load, so the next caller tries again', async () => {
		const cache = createTtlCache<string>(60_000);
		await expect(
			cache.get('k', async () => await Promise.reject(new Error('down'))),
		).rejects.toThrow('down');
		expect(await cache.get('k', async () => 'recovered')).toBe('recovered');
	});
});

describe('webhookCredentials', () => {
	function context(credentialId: string | undefined, secret: string) {
		const { context: fake, credentialReads } = webhookContext(trigger, {
			credentialId,
			credentials: { secret },
		});
		return { fake, reads: () => credentialReads.length };
	}

	it('reads a credential once for the requests of the next few seconds', async () => {
		const first = context('cred-cache-1', 'one');
		const second = context('cred-cache-1', 'changed');
		expect(await webhookCredentials(first.fake, 'webhookSigningSecretApi')).toEqual({
			secret: 'one',
		});
		expect(await webhookCredentials(second.fake, 'webhookSigningSecretApi')).toEqual({
			secret: 'one',
		});
		expect(first.reads() + second.reads()).toBe(1);
	});

	it('keeps different credentials apart', async () => {
		const a = context('cred-cache-a', 'a');
		const b = context('cred-cache-b', 'b');
		expect(await webhookCredentials(a.fake, 'webhookSigningSecretApi')).toEqual({ secret: 'a' });
		expect(await webhookCredentials(b.fake, 'webhookSigningSecretApi')).toEqual({ secret: 'b' });
	});

	it('reads every time when the node names no credential id', async () => {
		const anonymous = context(undefined, 'x');
		await webhookCredentials(anonymous.fake, 'webhookSigningSecretApi');
		await webhookCredentials(anonymous.fake, 'webhookSigningSecretApi');
		expect(anonymous.reads()).toBe(2);
	});
});
