export const FLOW_EVENT_TYPES = [
	'flow.start',
	'flow.end',
	'technology.start',
	'technology.end',
] as const;
export type FlowEventType = (typeof FLOW_EVENT_TYPES)[number];

export function isFlowEventType(value: unknown): value is FlowEventType {
	return (FLOW_EVENT_TYPES as readonly unknown[]).includes(value);
}
