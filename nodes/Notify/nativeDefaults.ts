import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { NOTIFY_DEFAULTS, type NotifyParameter } from './defaults';

/** What a default expression may read besides the item: the run's execution id and workflow name. */
export interface RunFacts {
	executionId: string;
	workflowName: string;
}

interface NativeDefault {
	/** The parameter's default expression. */
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
type NativeParameter = 'eventType' | 'eventData' | 'sessionId' | 'flowName';

export const NATIVE_DEFAULTS: Record<NativeParameter, NativeDefault> = {
	eventType: {
		expression: NOTIFY_DEFAULTS.eventType,
		value: (json) => json.event ?? json.type ?? 'n8n.item',
	},
	eventData: { expression: NOTIFY_DEFAULTS.eventData, value: (json) => json },
	sessionId: {
		expression: NOTIFY_DEFAULTS.sessionId,
		value: (json, run) => json.session_id ?? json.sessionId ?? run.executionId,
	},
	flowName: {
		expression: NOTIFY_DEFAULTS.flowName,
		value: (json, run) => json.flow_name ?? json.flowName ?? run.workflowName,
	},
};

/**
 * The parameter's value for one item, its default when it has none: natively while it holds its
 * default expression.
 */
export function itemParameter(
	context: IExecuteFunctions,
	name: NotifyParameter,
	itemIndex: number,
	options?: { ensureType: 'boolean' | 'json' },
): unknown {
	const native = name in NATIVE_DEFAULTS ? NATIVE_DEFAULTS[name as NativeParameter] : undefined;
	if (native !== undefined && context.getNode().parameters[name] === native.expression) {
		return native.value(context.getInputData()[itemIndex].json, {
			executionId: context.getExecutionId(),
			workflowName: context.getWorkflow().name ?? '',
		});
	}
	return context.getNodeParameter(name, itemIndex, NOTIFY_DEFAULTS[name], options);
}

/** A text parameter's value for one item, trimmed. */
export function itemText(
	context: IExecuteFunctions,
	name: NotifyParameter,
	itemIndex: number,
): string {
	return String(itemParameter(context, name, itemIndex) ?? '').trim();
}
