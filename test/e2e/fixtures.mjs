// Workflows and credentials the end-to-end tests import, built in code so each test states what it needs.
import { randomUUID } from 'node:crypto';

export const PACKAGE = 'n8n-nodes-flow-webhooks';
export const SIGNING_SECRET = 'whsec_' + Buffer.from('end-to-end signing secret, 32 b').toString('base64');
export const PREVIOUS_SECRET = 'whsec_' + Buffer.from('previous end-to-end secret 32 b!').toString('base64');

export const signingCredential = {
	id: 'e2eSigningSecret',
	name: 'E2E signing secret',
	type: 'webhookSigningSecretApi',
	data: { secret: SIGNING_SECRET, previousSecret: PREVIOUS_SECRET },
};

const credentialRef = { webhookSigningSecretApi: { id: signingCredential.id, name: signingCredential.name } };

/** A workflow id n8n accepts (16 alphanumerics) from a readable label. */
export function workflowId(label) {
	return label.replace(/[^A-Za-z0-9]/g, '').padEnd(16, '0').slice(0, 16);
}

function node(name, type, parameters, position, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion: 1, parameters, position, ...extra };
}

/** Flow Webhook Trigger → No Operation, so executions show what the trigger emitted. */
export function triggerWorkflow({ id, path, parameters = {} }) {
	const trigger = node(
		'Flow Webhook Trigger',
		`${PACKAGE}.flowWebhookTrigger`,
		{ path, ...parameters },
		[0, 0],
		{ webhookId: randomUUID(), credentials: parameters.verification === 'none' ? undefined : credentialRef },
	);
	const noOp = node('Received', 'n8n-nodes-base.noOp', {}, [240, 0]);
	return {
		id,
		name: `Trigger ${path}`,
		nodes: [trigger, noOp],
		connections: { [trigger.name]: { main: [[{ node: noOp.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}
