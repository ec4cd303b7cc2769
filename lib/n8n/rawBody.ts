import type { IWebhookFunctions } from 'n8n-workflow';

/** The request body exactly as received, which signatures are computed over; n8n reads it lazily. */
export async function rawRequestBody(context: IWebhookFunctions): Promise<Buffer> {
	const request = context.getRequestObject();
	if (!request.rawBody) await request.readRawBody?.();
	return request.rawBody ?? Buffer.alloc(0);
}
