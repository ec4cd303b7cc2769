import type { IHookFunctions } from 'n8n-workflow';

/**
 * Lifecycle hooks for webhooks whose URL the user hands out themselves (senders, pollers):
 * there is nothing to register with a remote service, so each step simply succeeds.
 */
export const userManagedWebhookMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
