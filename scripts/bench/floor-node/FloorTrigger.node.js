// The least a community trigger can cost n8n: a node from outside n8n's own package that answers a
// POST by starting a run with the body as its item, and checks nothing. The bench measures it beside
// the built-in Webhook node to show the floor n8n puts under any community trigger (under the
// default `vm` engine, an expression isolate held for every webhook request: n8n exempts only its
// own Webhook node), and the Flow Webhook Trigger against that floor. Loaded only by the bench,
// through N8N_CUSTOM_EXTENSIONS; never published.
class FloorTrigger {
	description = {
		displayName: 'Floor Trigger',
		name: 'floorTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts a run with the POSTed body, checking nothing (benchmark baseline)',
		defaults: { name: 'Floor Trigger' },
		inputs: [],
		outputs: ['main'],
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
