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

/** The stable code of an error answer (`{ error: "..." }`), or `http_<status>` when it has none. */
export function errorCode(answer: HttpAnswer): string {
	const code = (answer.body as { error?: unknown } | undefined)?.error;
	return typeof code === 'string' ? code : `http_${answer.status}`;
}
