/** An HTTP answer decided by pure logic; the node writes it to n8n's response object. */
export interface HttpAnswer {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/** Rejections carry a stable machine-readable code and a human message, never request data. */
export function errorAnswer(
	status: number,
	error: string,
	message: string,
	headers?: Record<string, string>,
): HttpAnswer {
	return { status, body: { error, message }, ...(headers ? { headers } : {}) };
}
