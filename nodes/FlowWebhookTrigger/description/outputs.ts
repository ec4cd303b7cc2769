import type { INodeOutputConfiguration } from 'n8n-workflow';

/**
 * The node's outputs for its parameters. n8n evaluates this from its source text (see the
 * `outputs` expression of the node), so it must stay self-contained: no imports, no outer names.
 */
export const configuredOutputs = (parameters: {
	routeByEventType?: boolean;
	eventTypes?: string[];
}): Array<INodeOutputConfiguration | 'main'> => {
	if (!parameters.routeByEventType) return ['main'];
	const selected = parameters.eventTypes ?? [];
	const types =
		selected.length > 0
			? selected
			: ['flow.start', 'flow.end', 'technology.start', 'technology.end'];
	return [...types, 'other'].map(
		(type) => ({ type: 'main', displayName: type }) as INodeOutputConfiguration,
	);
};

/** The event types that have their own output with One Output per Event Type on (the `other` output follows them). */
export function eventTypesWithOwnOutput(eventTypes: string[]): string[] {
	return configuredOutputs({ routeByEventType: true, eventTypes })
		.slice(0, -1)
		.map((output) => (output as INodeOutputConfiguration).displayName as string);
}
