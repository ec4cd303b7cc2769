import type { IHookFunctions } from 'n8n-workflow';

import { userManagedWebhookMethods } from '../../../../lib/n8n/webhookMethods';

// n8n publishes a workflow only once each hook reports success; with nothing to register remotely,
// a hook answering false would leave the user's webhook URL dead.
describe('userManagedWebhookMethods', () => {
	it.each(['checkExists', 'create', 'delete'] as const)('%s succeeds at once', async (hook) => {
		const hooks = userManagedWebhookMethods.default;
		expect(await hooks[hook].call({} as IHookFunctions)).toBe(true);
	});
});
