import type { IDataObject, IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/** What a default expression may read besides the item: the run's execution id and workflow name. */
export interface RunFacts {
	executionId: string;
	workflowName: string;
}

interface NativeDefault {
	/** The parameter's default, exactly as the node description declares it. */
	expression: string;
	/** The same value, computed in plain code. */
	value: (json: IDataObject, run: RunFacts) => unknown;
}

/**
 * The per-item defaults of Notify that are expressions. n8n evaluates an expression for every
 * item, and under its default `vm` engine that costs more than signing and sending the event, so
 * a parameter still set to its default is computed here instead. A parameter the user changed,
 * even to an equivalent expression, still goes through n8n's engine.
 */
export const NATIVE_DEFAULTS: Record<string, NativeDefault> = {
	eventType: {
		expression: '={{ $json.event ?? $json.type ?? "n8n.item" }}',
		value: (json) => json.event ?? json.type ?? 'n8n.item',
	},
	eventData: { expression: '={{ $json }}', value: (json) => json },
	sessionId: {
		expression: '={{ $json.session_id ?? $json.sessionId ?? $execution.id }}',
		value: (json, run) => json.session_id ?? json.sessionId ?? run.executionId,
	},
	flowName: {
		expression: '={{ $json.flow_name ?? $json.flowName ?? $workflow.name }}',
		value: (json, run) => json.flow_name ?? json.flowName ?? run.workflowName,
	},
};

/** The parameter's value for one item: natively while it holds its default expression. */
export function itemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: NodeParameterValueType,
	options?: { ensureType: 'json' },
): unknown {
	const native = NATIVE_DEFAULTS[name];
	if (native !== undefined && context.getNode().parameters[name] === native.expression) {
		return native.value(context.getInputData()[itemIndex].json, {
			executionId: context.getExecutionId(),
			workflowName: context.getWorkflow().name ?? '',
		});
	}
	return context.getNodeParameter(name, itemIndex, fallback, options);
}
