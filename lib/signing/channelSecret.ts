import { createHmac } from 'node:crypto';

/**
 * The key that signs the requests a node sends to its own webhook on `channel`, derived from
 * `material` (a secret every n8n process of the installation can read) and the workflow's and
 * node's ids, so that no setting is needed and no other node or channel shares it.
 */
export function channelSecret(
	material: string,
	channel: string,
	workflowId: string,
	nodeId: string,
): string {
	const key = createHmac('sha256', material)
		.update(`n8n-nodes-flow-webhooks ${channel}\0${workflowId}\0${nodeId}`)
		.digest('base64');
	return `whsec_${key}`;
}
