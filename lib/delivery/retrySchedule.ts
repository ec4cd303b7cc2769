/**
 * Svix's published schedule after its immediate first attempt (5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h). Notify's in-run attempts stand for that first attempt; these are the waits between rounds.
 */
export const DEFAULT_RETRY_SCHEDULE = '5s, 5m, 30m, 2h, 5h, 10h, 10h';

/** More rounds than this would keep one event's state travelling for no good reason. */
const MAX_SCHEDULE_ROUNDS = 30;

/** The longest single wait: 30 days. */
const MAX_WAIT_MS = 30 * 24 * 3_600_000;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ENTRY = /^(\d+(?:\.\d+)?)\s*([smhd])$/i;

export type ScheduleResult =
	| { kind: 'valid'; delaysMs: number[] }
	| { kind: 'invalid'; message: string };

/**
 * Reads a retry schedule such as "5s, 5m, 30m, 2h": the waits before each later round of
 * attempts, in seconds (s), minutes (m), hours (h) or days (d), separated by commas.
 */
export function parseRetrySchedule(text: unknown): ScheduleResult {
	const source = typeof text === 'string' ? text.trim() : '';
	if (source === '')
		return {
			kind: 'invalid',
			message: `The retry schedule is empty; e.g. "${DEFAULT_RETRY_SCHEDULE}".`,
		};
	const entries = source.split(',').map((entry) => entry.trim());
	if (entries.length > MAX_SCHEDULE_ROUNDS) {
		return {
			kind: 'invalid',
			message: `The retry schedule has ${entries.length} waits; at most ${MAX_SCHEDULE_ROUNDS} are allowed.`,
		};
	}
	const delaysMs: number[] = [];
	for (const entry of entries) {
		const match = ENTRY.exec(entry);
		if (!match) {
			return {
				kind: 'invalid',
				message: `"${entry}" in the retry schedule is not a wait such as 30s, 5m, 2h or 1d.`,
			};
		}
		const delayMs = Math.round(Number(match[1]) * UNIT_MS[match[2].toLowerCase()]);
		if (delayMs > MAX_WAIT_MS)
			return {
				kind: 'invalid',
				message: `"${entry}" in the retry schedule is longer than 30 days.`,
			};
		delaysMs.push(delayMs);
	}
	return { kind: 'valid', delaysMs };
}
