import type { RetryPolicy } from './retryPolicy';

/** The node's delivery options as entered; any of them may be missing or come from an expression. */
export interface DeliveryOptions {
	concurrency?: unknown;
	maxAttempts?: unknown;
	baseDelayMs?: unknown;
	maxDelayMs?: unknown;
	timeoutMs?: unknown;
	reuseConnections?: unknown;
}

export interface DeliverySettings {
	concurrency: number;
	timeoutMs: number;
	/** Keep connections to destinations open between events (false: a new one per request). */
	reuseConnections: boolean;
	policy: RetryPolicy;
}

/**
 * Short next to hosted webhook services (Svix retries for about a day): an n8n execution stays
 * open while it waits, so the defaults give up after about a minute.
 */
export const DELIVERY_DEFAULTS = {
	concurrency: 10,
	maxAttempts: 5,
	baseDelayMs: 1000,
	maxDelayMs: 60_000,
	timeoutMs: 10_000,
	reuseConnections: true,
} as const;

type NumericOption = Exclude<keyof DeliveryOptions, 'reuseConnections'>;

const shown = (value: unknown): string =>
	typeof value === 'number' ? String(value) : JSON.stringify(value);

type Checked = { ok: true; settings: DeliverySettings } | { ok: false; message: string };

const LABELS: Record<NumericOption, string> = {
	concurrency: 'Concurrency',
	maxAttempts: 'Max Attempts',
	baseDelayMs: 'Retry Base Delay',
	maxDelayMs: 'Max Retry Delay',
	timeoutMs: 'Timeout',
};

// The smallest value each option accepts, and whether it must be whole.
const BOUNDS: Record<NumericOption, { min: number; whole: boolean }> = {
	concurrency: { min: 1, whole: true },
	maxAttempts: { min: 1, whole: true },
	baseDelayMs: { min: 0, whole: false },
	maxDelayMs: { min: 0, whole: false },
	timeoutMs: { min: 1, whole: false },
};

/** Fills in defaults and checks every option, so a bad value from an expression is reported before anything is sent. */
export function deliverySettings(options: DeliveryOptions): Checked {
	const values = { ...DELIVERY_DEFAULTS } as Record<NumericOption, number>;
	for (const name of Object.keys(BOUNDS) as NumericOption[]) {
		const raw = options[name];
		if (raw === undefined || raw === null || raw === '') continue;
		const value = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : Number.NaN;
		const { min, whole } = BOUNDS[name];
		if (!Number.isFinite(value) || value < min || (whole && !Number.isInteger(value))) {
			const kind = whole ? 'a whole number' : 'a number';
			return {
				ok: false,
				message: `${LABELS[name]} must be ${kind} of at least ${min}, not ${shown(raw)}.`,
			};
		}
		values[name] = value;
	}
	return {
		ok: true,
		settings: {
			concurrency: values.concurrency,
			timeoutMs: values.timeoutMs,
			reuseConnections: options.reuseConnections !== false,
			policy: {
				maxAttempts: values.maxAttempts,
				baseDelayMs: values.baseDelayMs,
				maxDelayMs: values.maxDelayMs,
			},
		},
	};
}
