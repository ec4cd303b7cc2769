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

type NumericOption = Exclude<keyof DeliveryOptions, 'reuseConnections'>;

/** What options left out fall back on: the node's defaults. */
export type DeliveryDefaults = Readonly<
	Record<NumericOption, number> & { reuseConnections: boolean }
>;

const shown = (value: unknown): string =>
	typeof value === 'number' ? String(value) : JSON.stringify(value);

/** The settings to deliver with, or what is wrong with the first option that is not valid. */
export type DeliverySettingsResult =
	| { kind: 'valid'; settings: DeliverySettings }
	| { kind: 'invalid'; message: string };

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
export function deliverySettings(
	options: DeliveryOptions,
	defaults: DeliveryDefaults,
): DeliverySettingsResult {
	const values: Record<NumericOption, number> = { ...defaults };
	for (const name of Object.keys(BOUNDS) as NumericOption[]) {
		const raw = options[name];
		if (raw === undefined || raw === null || raw === '') continue;
		const value = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : Number.NaN;
		const { min, whole } = BOUNDS[name];
		if (!Number.isFinite(value) || value < min || (whole && !Number.isInteger(value))) {
			const kind = whole ? 'a whole number' : 'a number';
			return {
				kind: 'invalid',
				message: `${LABELS[name]} must be ${kind} of at least ${min}, not ${shown(raw)}.`,
			};
		}
		values[name] = value;
	}
	return {
		kind: 'valid',
		settings: {
			concurrency: values.concurrency,
			timeoutMs: values.timeoutMs,
			reuseConnections:
				typeof options.reuseConnections === 'boolean'
					? options.reuseConnections
					: defaults.reuseConnections,
			policy: {
				maxAttempts: values.maxAttempts,
				baseDelayMs: values.baseDelayMs,
				maxDelayMs: values.maxDelayMs,
			},
		},
	};
}
