import type { NormalizedEvent } from '../events/normalize';
import type { HeaderBag } from '../http/headers';

// Never copied into workflow data: they carry signatures or credentials.
const ALWAYS_HIDDEN = ['authorization', 'cookie', 'proxy-authorization'];

export interface EventItemOptions {
	/** Request headers to include, or undefined to leave them out. */
	headers?: HeaderBag;
	/** Lower-case names of signature headers to drop from `headers`. */
	hiddenHeaders?: string[];
	receivedAt?: Date;
}

/** The JSON an accepted event becomes in the workflow. */
export function eventItem(
	event: NormalizedEvent & { id: string },
	body: unknown,
	options: EventItemOptions,
): Record<string, unknown> {
	const item: Record<string, unknown> = { ...event, body };
	if (options.headers) {
		const hidden = new Set([...ALWAYS_HIDDEN, ...(options.hiddenHeaders ?? [])]);
		item.headers = Object.fromEntries(
			Object.entries(options.headers).filter(([name]) => !hidden.has(name.toLowerCase())),
		);
	}
	if (options.receivedAt) item.receivedAt = options.receivedAt.toISOString();
	return item;
}
