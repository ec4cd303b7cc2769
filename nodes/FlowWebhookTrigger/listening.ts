import { NodeOperationError, type IWebhookFunctions } from 'n8n-workflow';

import type { RefusalExplanation } from '../../lib/ingest/explainRefusal';

/** n8n runs requests to the test URL, while the editor listens for a test event, in manual mode. */
export function isListening(context: IWebhookFunctions): boolean {
	return context.getMode() === 'manual';
}

/** The editor shows an error's description as HTML: one line per part, nothing read as markup. */
function asHtmlLines(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.split('\n')
		.join('<br>');
}

/** Resolves once the written answer is handed to the operating system, or the sender hung up. */
async function answerSent(context: IWebhookFunctions): Promise<void> {
	const response = context.getResponseObject();
	if (response.writableFinished) return;
	await new Promise<void>((resolve) => {
		response.once('finish', () => resolve());
		response.once('close', () => resolve());
	});
}

/**
 * Ends the editor's listening with why a request started no run. Thrown from `webhook()`, the
 * error makes n8n record a manual run in which the trigger failed with it: the editor shows it
 * in the node's panel and runs no other node. The sender's answer, already written as in
 * production, must be on its way first: n8n then tries to answer the error itself, and only
 * closes the connection once it finds the answer sent.
 */
export async function endListening(
	context: IWebhookFunctions,
	explanation: RefusalExplanation,
): Promise<never> {
	await answerSent(context);
	throw new NodeOperationError(context.getNode(), explanation.message, {
		description: asHtmlLines(explanation.description),
	});
}
