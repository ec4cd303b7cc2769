/** n8n's default endpoint names for production webhooks and for resuming waiting runs. */
const WEBHOOK_ENDPOINT = 'webhook';
const WAITING_ENDPOINT = 'webhook-waiting';

/**
 * The production URL of the webhook at `path`, derived from a run's resume URL
 * (`<WEBHOOK_URL>webhook-waiting/<execution id>`): the one place a running node learns where
 * n8n's webhooks are reached. Undefined when n8n's endpoints were renamed.
 */
export function productionWebhookUrl(resumeUrl: string, path: string): string | undefined {
	let url: URL;
	try {
		url = new URL(resumeUrl);
	} catch {
		return undefined;
	}
	const segments = url.pathname.split('/');
	if (segments.at(-2) !== WAITING_ENDPOINT) return undefined;
	url.pathname = [...segments.slice(0, -2), WEBHOOK_ENDPOINT, ''].join('/');
	url.search = '';
	return joinUrl(url.toString(), path);
}

/** `base` and `path` with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The path a webhook with a full-path description is served at: its own, or the node's webhook id. */
export function fullWebhookPath(path: string, webhookId: string | undefined): string {
	return path.trim().replace(/^\/+|\/+$/g, '') || (webhookId ?? '');
}
