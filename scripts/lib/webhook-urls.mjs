import { PACKAGE_NAME } from './n8n-instance.mjs';

// Webhook nodes whose URL is `/webhook/<path parameter>`, with the HTTP method they listen on.
const WEBHOOK_NODES = {
	[`${PACKAGE_NAME}.flowWebhookTrigger`]: (parameters) => parameters.httpMethod ?? 'POST',
	[`${PACKAGE_NAME}.externalDataProvider`]: () => 'GET',
	'n8n-nodes-base.webhook': (parameters) => parameters.httpMethod ?? 'GET',
};

/** One line per webhook node of a published workflow: method, production URL, workflow and node name. */
export function productionWebhookUrls(workflow, baseUrl) {
	if (workflow.active === false) return [];
	return workflow.nodes
		.filter((node) => WEBHOOK_NODES[node.type] && node.parameters?.path)
		.map((node) => {
			const method = WEBHOOK_NODES[node.type](node.parameters);
			return `${method.padEnd(4)} ${baseUrl}/webhook/${node.parameters.path}  (${workflow.name} › ${node.name})`;
		});
}
