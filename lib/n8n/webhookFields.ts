import * as n8nWorkflow from 'n8n-workflow';

/** A webhook description field read from a node parameter, with the value used when it is empty. */
export type ParameterRead = { parameter: string; fallback?: string };

/** The parts of n8n-workflow that declare natively resolvable webhook fields (2.35 and later). */
export type NativeFieldApi = Partial<
	Pick<typeof n8nWorkflow, 'fromParameter' | 'webhookDescriptionFields'>
>;

/** The expression n8n evaluates for a field when it cannot resolve it natively. */
export function parameterTemplate({ parameter, fallback }: ParameterRead): string {
	const orFallback = fallback === undefined ? '' : ` || ${JSON.stringify(fallback)}`;
	return `={{$parameter[${JSON.stringify(parameter)}]${orFallback}}}`;
}

/**
 * Webhook description fields that only read node parameters. Where n8n can resolve them without
 * its expression engine, they are declared so: a webhook request then evaluates no expression for
 * them, which under the default `vm` engine is most of what a rejected request costs. Older n8n
 * versions get the same expression templates.
 */
export function parameterFields<K extends string>(
	reads: Record<K, ParameterRead>,
	api: NativeFieldApi = n8nWorkflow,
): Record<K, string> {
	const entries = Object.entries(reads) as Array<[K, ParameterRead]>;
	const { fromParameter, webhookDescriptionFields } = api;
	if (fromParameter && webhookDescriptionFields) {
		return webhookDescriptionFields(
			Object.fromEntries(
				entries.map(([field, read]) => [field, fromParameter(read.parameter, read.fallback)]),
			) as Record<K, ReturnType<typeof fromParameter>>,
		);
	}
	return Object.fromEntries(
		entries.map(([field, read]) => [field, parameterTemplate(read)]),
	) as Record<K, string>;
}
