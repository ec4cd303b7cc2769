import type { IWebhookFunctions } from 'n8n-workflow';

import type { HttpAnswer } from '../http/answers';

/** Writes an answer through n8n's response object; the caller then returns `noWebhookResponse`. */
export function writeAnswer(context: IWebhookFunctions, answer: HttpAnswer): void {
	const response = context.getResponseObject();
	for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
	response.status(answer.status);
	if (answer.body === undefined) {
		response.end();
	} else if (typeof answer.body === 'string') {
		// Text the answer already serialised (CSV, NDJSON, prebuilt JSON) goes out as it is,
		// under the Content-Type header the answer sets.
		response.send(answer.body);
	} else {
		response.json(answer.body);
	}
}
