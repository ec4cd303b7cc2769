/** n8n's "When Executed by Another Workflow" trigger. */
export const EXECUTE_WORKFLOW_TRIGGER = 'n8n-nodes-base.executeWorkflowTrigger';

/**
 * True when a node with these upstream nodes runs in a workflow that others call with Execute
 * Workflow. n8n reads such a workflow's static data from the database when each call starts, on a
 * queue-mode worker too; a run started by a trigger or webhook on a worker starts without it.
 */
export function runsInCalledWorkflow(upstreamNodes: ReadonlyArray<{ type: string }>): boolean {
	return upstreamNodes.some((node) => node.type === EXECUTE_WORKFLOW_TRIGGER);
}
