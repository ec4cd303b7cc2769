import { EXECUTE_WORKFLOW_TRIGGER, runsInCalledWorkflow } from '../../../lib/n8n/placement';

describe('runsInCalledWorkflow', () => {
	it('is true when an Execute Workflow trigger is upstream, however far', () => {
		expect(
			runsInCalledWorkflow([{ type: 'n8n-nodes-base.code' }, { type: EXECUTE_WORKFLOW_TRIGGER }]),
		).toBe(true);
	});

	it('is false for runs a trigger, a webhook or a manual start began', () => {
		expect(runsInCalledWorkflow([{ type: 'n8n-nodes-flow-webhooks.flowWebhookTrigger' }])).toBe(
			false,
		);
		expect(runsInCalledWorkflow([{ type: 'n8n-nodes-base.webhook' }])).toBe(false);
		expect(runsInCalledWorkflow([])).toBe(false);
	});
});
