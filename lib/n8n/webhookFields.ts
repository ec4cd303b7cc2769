import * as n8nWorkflow from 'n8n-workflow';

/**
 * A webhook description field read from a node parameter, with the value used when it is empty;
 * or chosen by it: `then` when the parameter holds one of `oneOf`, `otherwise` when not.
 */
export type ParameterRead =
	| { parameter: string; fallback?: string }
	| { parameter: string; oneOf: string[]; then: string; otherwise: string };

/** The parts of n8n-workflow that declare natively resolvable webhook fields (2.35 and later). */
export type NativeFieldApi = Partial<
	Pick<typeof n8nWorkflow, 'fromParameter' | 'webhookDescriptionFields'>
>;

type NativeField = ReturnType<NonNullable<NativeFieldApi['fromParameter']>>;

/** The expression n8n evaluates for a field when it cannot resolve it natively. */
export function parameterTemplate(read: ParameterRead): string {
	const value = `$parameter[${JSON.stringify(read.parameter)}]`;
	if ('oneOf' in read) {
		const [oneOf, then, otherwise] = [read.oneOf, read.then, read.otherwise].map((part) =>
			JSON.stringify(part),
		);
		return `={{${oneOf}.includes(${value}) ? ${then} : ${otherwise}}}`;
	}
	const orFallback = read.fallback === undefined ? '' : ` || ${JSON.stringify(read.fallback)}`;
	return `={{${value}${orFallback}}}`;
}

/** A field n8n resolves without its expression engine, to the value its template gives. */
function nativeField(
	read: ParameterRead,
	fromParameter: NonNullable<NativeFieldApi['fromParameter']>,
): NativeField {
	if (!('oneOf' in read)) return fromParameter(read.parameter, read.fallback);
	const { parameter, oneOf, then, otherwise } = read;
	return {
		template: parameterTemplate(read),
		resolve: (parameters) =>
			(oneOf as unknown[]).includes(parameters[parameter]) ? then : otherwise,
	};
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
				entries.map(([field, read]) => [field, nativeField(read, fromParameter)]),
			) as Record<K, NativeField>,
		);
	}
	return Object.fromEntries(
		entries.map(([field, read]) => [field, parameterTemplate(read)]),
	) as Record<K, string>;
}
