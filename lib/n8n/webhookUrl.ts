/** n8n's default endpoint names for production webhooks and for resuming waiting runs. */
const WEBHOOK_ENDPOINT = 'webhook';
const WAITING_ENDPOINT = 'webhook-waiting';

/**
 * The production URL of the webhook at `path`, derived from a run's resume URL
 * (`<WEBHOOK_URL>webhook-waiting/<execution id>`): the one place a running node learns where
 * n8n's webhooks are reached. It assumes n8n's default endpoint names: undefined when the waiting
 * endpoint was renamed, and wrong when only the webhook endpoint was (N8N_ENDPOINT_WEBHOOK).
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
