// The least a community trigger that verifies its senders can cost n8n: a node from outside n8n's
// own package, with a credential (as any verifying trigger has), that answers a POST by starting a
// run with the body as its item, and checks nothing. The bench measures it beside the built-in
// Webhook node to show the floor n8n puts under such a trigger: under the default `vm` engine an
// expression isolate held for every webhook request (n8n exempts only its own Webhook node), and
// under every engine the credential permission check before each run is stored
// (`WorkflowRunner.run` → `CredentialsPermissionChecker.check`). Loaded only by the bench, through
// N8N_CUSTOM_EXTENSIONS; never published.
class FloorTrigger {
	description = {
		displayName: 'Floor Trigger',
		name: 'floorTrigger',
		group: ['trigger'],
		// Not 1: for a version 1 webhook node n8n evaluates `$parameter["options"]["binaryData"]` on
		// every request (`parseRequestBody` in webhook-helpers.js), an isolate under lazy acquisition.
		version: 2,
		description: 'Starts a run with the POSTed body, checking nothing (benchmark baseline)',
		defaults: { name: 'Floor Trigger' },
		inputs: [],
		outputs: ['main'],
		// Declared, never read: what n8n does for a workflow holding a credential is the point.
		credentials: [{ name: 'webhookSigningSecretApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				path: 'bench-floor',
				// A number: n8n hands it to Express as it is. The same durable answer as the other sides.
				responseCode: 202,
				responseMode: 'onReceived',
				isFullPath: true,
			},
		],
		properties: [],
	};

	async webhook() {
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}

module.exports = { FloorTrigger };
