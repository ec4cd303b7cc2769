import type { IWebhookFunctions } from 'n8n-workflow';

const nonEmpty = (value: unknown) =>
	typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The URL n8n received the request on, as Express tells it: the scheme and host honour
 * X-Forwarded-Proto and X-Forwarded-Host only from the proxies n8n trusts (N8N_PROXY_HOPS, as for
 * the client address), so a caller cannot choose the URL its signature is checked against; the
 * path and query string are the request's own. Undefined when the request names no host.
 */
export function receivedUrl(context: IWebhookFunctions): string | undefined {
	const request: { protocol?: unknown; host?: unknown; originalUrl?: unknown } =
		context.getRequestObject();
	const scheme = nonEmpty(request.protocol);
	const host = nonEmpty(request.host);
	const path = nonEmpty(request.originalUrl);
	return scheme && host && path ? `${scheme}://${host}${path}` : undefined;
}
