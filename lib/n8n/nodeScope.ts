import type { IWebhookFunctions } from 'n8n-workflow';

/**
 * What a node keeps in process memory belongs to one node of one workflow; test-URL calls keep
 * theirs apart from production calls.
 */
export function nodeScope(context: IWebhookFunctions): string {
	return `${context.getWorkflow().id ?? ''}:${context.getNode().id}:${context.getMode()}`;
}
