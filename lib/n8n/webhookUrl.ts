import { NodeHelpers, type INode, type INodeProperties } from 'n8n-workflow';

/** n8n's default endpoint names for production webhooks and for resuming waiting runs. */
const WEBHOOK_ENDPOINT = 'webhook';
const WAITING_ENDPOINT = 'webhook-waiting';

/**
 * The base of n8n's production webhooks, derived from a run's resume URL
 * (`<WEBHOOK_URL>webhook-waiting/<execution id>`): the one place a running node learns where
 * n8n's webhooks are reached. It assumes n8n's default endpoint names: undefined when the waiting
 * endpoint was renamed, and wrong when only the webhook endpoint was (N8N_ENDPOINT_WEBHOOK).
 */
export function productionWebhookBase(resumeUrl: string): string | undefined {
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
	return url.toString();
}

/** `base` and `path` with exactly one slash between them. */
function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The production URL of one of `node`'s webhooks (its `path`) under `base`. */
export function nodeWebhookUrlUnder(
	base: string,
	workflowId: string,
	node: INode,
	path: string,
): string {
	return joinUrl(base, NodeHelpers.getNodeWebhookPath(workflowId, node, path));
}

/**
 * The "Webhook Base URL" option, for a node that calls its own webhook from inside n8n;
 * `purpose` says what the node does there and what happens while it cannot.
 */
export function webhookBaseUrlProperty(defaultValue: string, purpose: string): INodeProperties {
	return {
		displayName: 'Webhook Base URL',
		name: 'webhookBaseUrl',
		type: 'string',
		default: defaultValue,
		placeholder: 'http://n8n-webhook:5678/webhook',
		description: `Only needed when n8n cannot reach its own webhook URL (WEBHOOK_URL): ${purpose} Empty uses n8n's webhook URL.`,
	};
}
