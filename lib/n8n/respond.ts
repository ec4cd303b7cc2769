import type { IWebhookFunctions } from 'n8n-workflow';

import type { HttpAnswer } from '../http/answers';

/** Writes an answer through n8n's response object; the caller then returns `noWebhookResponse`. */
export function writeAnswer(context: IWebhookFunctions, answer: HttpAnswer): void {
	const response = context.getResponseObject();
	for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
	response.status(answer.status);
	if (answer.body === undefined) {
		response.end();
	} else {
		response.json(answer.body);
	}
}
