/**
 * The trigger's parameter defaults: the description shows them and the config reader falls back
 * to them for an option the user never added. n8n's lint makes the description spell out boolean
 * defaults as literals; defaults.test.ts proves every default there equals this object. The Custom
 * HMAC fields and the Security collection are shared with other nodes and keep theirs in `lib/n8n/`.
 */
export const TRIGGER_DEFAULTS = {
	httpMethod: 'POST',
	path: '',
	verification: 'standardWebhooks',
	publicUrl: '',
	verifyToken: '',
	eventTypes: [] as string[],
	customEventTypes: '',
	routeByEventType: false,
	options: {
		deduplicate: true,
		dedupRetentionHours: 24,
		eventIdField: 'id',
		eventIdHeader: '',
		eventTypeField: 'auto',
		eventTypeHeader: '',
		includeHeaders: false,
		includeReceivedAt: true,
		maxBodyKib: 1024,
		dedupMaxEntries: 5000,
		strictFlowEvents: false,
		toleranceSeconds: 300,
		webhookBaseUrl: '',
	},
};

export type TriggerOptions = Partial<typeof TRIGGER_DEFAULTS.options>;
