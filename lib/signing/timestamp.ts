import type { TimestampUnit } from './profile';

/** How each unit is read into Unix seconds (undefined when the text is not one), and how it is named. */
const TIMESTAMP_UNITS: Record<
	TimestampUnit,
	{ toSeconds: (text: string) => number | undefined; name: string }
> = {
	seconds: { toSeconds: (text) => unixTime(text, /^\d{1,12}$/, 1), name: 'Unix time in seconds' },
	milliseconds: {
		toSeconds: (text) => unixTime(text, /^\d{1,15}$/, 1000),
		name: 'Unix time in milliseconds',
	},
	rfc3339: {
		toSeconds: rfc3339Seconds,
		name: 'date-time in RFC 3339 (2024-05-01T12:00:00.123456789Z)',
	},
};

function unixTime(text: string, pattern: RegExp, perSecond: number): number | undefined {
	return pattern.test(text) ? Math.floor(Number(text) / perSecond) : undefined;
}

// A date, a time with any fraction (Twitch writes nanoseconds) and a zone, as RFC 3339 § 5.6 writes
// them; the fraction is dropped, the clock is compared in whole seconds.
const RFC_3339 =
	/^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * The Unix seconds of an RFC 3339 date-time, or undefined when it is none: every field must be in
 * range (no 30 February, no hour 24), which `Date.parse` alone would let through or roll over.
 */
function rfc3339Seconds(text: string): number | undefined {
	const match = RFC_3339.exec(text);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
	const [sign, offsetHours = '0', offsetMinutes = '0'] = match.slice(7);
	if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
	const utc = Date.UTC(year, month - 1, day, hour, minute, second);
	const date = new Date(utc);
	const inRange =
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		date.getUTCHours() === hour &&
		date.getUTCMinutes() === minute &&
		date.getUTCSeconds() === second;
	if (!inRange) return undefined;
	// A local time east of UTC ("+02:00") is that much ahead of UTC.
	const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60;
	return utc / 1000 - (sign === '-' ? -offset : offset);
}

/** The Unix seconds a timestamp sent in `unit` stands for, or undefined when it is not one. */
export function timestampSeconds(text: string, unit: TimestampUnit): number | undefined {
	return TIMESTAMP_UNITS[unit].toSeconds(text);
}

/** How a unit is named to the sender in a refusal. */
export const timestampUnitName = (unit: TimestampUnit): string => TIMESTAMP_UNITS[unit].name;
