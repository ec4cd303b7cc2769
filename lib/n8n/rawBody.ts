import type { IWebhookFunctions } from 'n8n-workflow';

import { errorAnswer, type HttpAnswer } from '../http/answers';

/**
 * The request body exactly as received, which signatures are computed over; n8n reads it lazily.
 * Null when n8n cannot hand it over: its form parser may already have consumed the stream (an
 * empty multipart POST does that), and `readRawBody()` then throws.
 */
export async function rawRequestBody(context: IWebhookFunctions): Promise<Buffer | null> {
	const request = context.getRequestObject();
	try {
		if (!request.rawBody) await request.readRawBody?.();
	} catch {
		return null;
	}
	return request.rawBody ?? Buffer.alloc(0);
}

/** The refusal for a body n8n could not hand over. */
export const UNREADABLE_BODY: HttpAnswer = errorAnswer(
	400,
	'unreadable_body',
	'The request body could not be read; send it as application/json.',
);
