import { DEFAULT_RETRY_SCHEDULE } from '../../lib/delivery/retrySchedule';
import { CUSTOM_HMAC_DEFAULTS, TOKEN_HEADER_DEFAULT } from '../../lib/signing/fromParameters';

/**
 * Notify's parameter defaults: the editor shows them (the description reads them from here) and
 * the config reader falls back on them. A collection holds the defaults of its fields, which the
 * editor adds one by one (the collection itself starts empty). n8n's lint accepts only literals for
 * booleans and collections, so those stay written in the description; a unit test keeps all equal.
 */
export const NOTIFY_DEFAULTS = {
	operation: 'sendEvent',
	eventFormat: 'standardWebhooks',
	// Expressions Notify computes natively while they are unchanged (see nativeDefaults.ts).
	eventType: '={{ $json.event ?? $json.type ?? "n8n.item" }}',
	eventId: '',
	eventData: '={{ $json }}',
	sessionId: '={{ $json.session_id ?? $json.sessionId ?? $execution.id }}',
	flowName: '={{ $json.flow_name ?? $json.flowName ?? $workflow.name }}',
	success: true,
	metadata: '{}',
	retryMode: 'inRun',
	retrySchedule: DEFAULT_RETRY_SCHEDULE,
	signing: 'standardWebhooks',
	...CUSTOM_HMAC_DEFAULTS,
	tokenHeader: TOKEN_HEADER_DEFAULT,
	destinations: { destination: { url: '', headers: { header: { name: '', value: '' } } } },
	/**
	 * Short next to hosted webhook services (Svix retries for about a day): an n8n execution stays
	 * open while it waits, so the defaults give up after about a minute.
	 */
	options: {
		concurrency: 10,
		maxAttempts: 5,
		maxDelayMs: 60_000,
		baseDelayMs: 1000,
		reuseConnections: true,
		timeoutMs: 10_000,
	},
} as const;

/** A top-level parameter whose default is a single value. */
export type NotifyParameter = Exclude<keyof typeof NOTIFY_DEFAULTS, 'destinations' | 'options'>;
