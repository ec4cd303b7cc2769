import type { INodeParameters } from 'n8n-workflow';

import { flowEvent, signedRequest, whsec } from '../support/events.cjs';
import { runFromWebhook, type WorkflowJson } from './support/engine';

const SECRET = whsec('engine tier trigger secret 32 by');
const credentials = { webhookSigningSecretApi: { secret: SECRET } };

/** The trigger, each of its outputs leading to a No Operation node named after it. */
function triggerWorkflow(parameters: INodeParameters, outputNames: string[]): WorkflowJson {
	return {
		nodes: [
			{
				name: 'Trigger',
				type: 'n8n-nodes-flow-webhooks.flowWebhookTrigger',
				typeVersion: 1.1,
				webhookId: 'trigger-webhook-id',
				parameters,
			},
			...outputNames.map((name) => ({ name, type: 'n8n-nodes-base.noOp', parameters: {} })),
		],
		connections: {
			Trigger: { main: outputNames.map((node) => [{ node, type: 'main', index: 0 }]) },
		},
	};
}

const deliver = (event: Record<string, unknown>, id: string) =>
	signedRequest(flowEvent(event), { id, secret: SECRET });

describe("Flow Webhook Trigger in n8n's engine", () => {
	it('starts a run with the verified event as one item, which n8n hands on to the next node as is', async () => {
		const { run } = await runFromWebhook(
			triggerWorkflow({ path: 'events' }, ['Received']),
			'Trigger',
			deliver({ session_id: 'sess_7', data: { step: 3 } }, 'msg_engine_1'),
			{ credentials },
		);
		expect(run?.error).toBeUndefined();
		const [item] = run?.output('Trigger') ?? [];
		expect(item.json).toEqual({
			id: 'msg_engine_1',
			event: 'flow.start',
			sessionId: 'sess_7',
			flowName: 'Onboarding',
			success: true,
			created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			metadata: { source: 'e2e' },
			data: { step: 3 },
			body: expect.objectContaining({ session_id: 'sess_7', data: { step: 3 } }),
			receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(run?.output('Received')).toEqual([
			{ json: item.json, pairedItem: expect.objectContaining({ item: 0 }) },
		]);
	});

	it.each([
		['flow.start', 'On start'],
		['flow.end', 'On end'],
		['invoice.paid', 'Other'],
	])(
		'routes an event of type %s to its output, and n8n runs only the node on that output',
		async (type, reached) => {
			const { run } = await runFromWebhook(
				triggerWorkflow(
					{
						path: 'events',
						eventTypes: ['flow.start', 'flow.end'],
						customEventTypes: '*',
						routeByEventType: true,
					},
					['On start', 'On end', 'Other'],
				),
				'Trigger',
				deliver({ event: type }, `msg_${type}`),
				{ credentials },
			);
			expect(run?.ran()).toEqual(['Trigger', reached]);
			expect(run?.output(reached)).toEqual([
				expect.objectContaining({ json: expect.objectContaining({ event: type }) }),
			]);
		},
	);
});
