import type { WebhookType } from 'n8n-workflow';

/**
 * The name of the webhook that receives publishes. n8n's type allows only "default" (the data
 * endpoint's) and "setup", a name without special meaning in n8n, so the publish webhook takes it.
 */
export const PUBLISH_WEBHOOK: WebhookType = 'setup';

/** The credential whose key signs this node's publish requests, read by both sides. */
export const PUBLISH_KEY_CREDENTIAL = 'dataProviderPublishKeyApi';
