import {
	NodeOperationError,
	type INode,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { errorAnswer, type HttpAnswer } from '../http/answers';

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

/**
 * Answers 500 `misconfigured` when a node's own settings are unusable: the caller learns nothing
 * internal, the workflow's owner finds the reason in n8n's log. `endpoint` names it for the caller.
 */
export function answerMisconfigured(
	context: IWebhookFunctions,
	error: unknown,
	endpoint: string,
): IWebhookResponseData {
	context.logger.error(
		`Node "${context.getNode().name}" is misconfigured: ${(error as Error).message}`,
	);
	writeAnswer(
		context,
		errorAnswer(
			500,
			'misconfigured',
			`The ${endpoint} is not configured correctly; its owner can find details in the n8n log.`,
		),
	);
	return { noWebhookResponse: true };
}

/** The error of a misconfigured node: what is wrong, and in `description` what to do about it. */
export function misconfigurationError(
	context: { getNode(): INode },
	message: string,
	description: string,
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { description, itemIndex });
}
