const DELAY_SECONDS = /^\d+$/;
const HAS_LETTERS = /[a-z]/i;

/**
 * Reads a Retry-After header (RFC 9110, section 10.2.3): either delay seconds or an HTTP date.
 * Returns the wait in milliseconds from `nowMs` (0 for a date already past), or undefined when
 * the header is absent or unreadable, in which case the normal backoff applies.
 */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (DELAY_SECONDS.test(text)) return Number(text) * 1000;
	// Every HTTP date names a weekday or month; without letters, Date.parse would read "1.5" or "-1" as a year.
	if (!HAS_LETTERS.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
