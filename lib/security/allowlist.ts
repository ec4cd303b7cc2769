import { formatAddress, networkOf, parseAddress, type IpAddress } from './address';

/** A CIDR range over the 128-bit address space (IPv4 ranges sit inside ::ffff:0:0/96). */
export interface AddressRange {
	network: bigint;
	/** Leading bits that must match, 0 to 128. */
	bits: number;
}

export type AllowlistParse = { ok: true; ranges: AddressRange[] } | { ok: false; problem: string };

const PREFIX_LENGTH = /^(0|[1-9]\d{0,2})$/;
const IPV4_BITS_OFFSET = 96;
const EXAMPLES = 'for example 203.0.113.7, 10.0.0.0/8, 2001:db8::/32';

type EntryParse = { ok: true; range: AddressRange } | { ok: false; problem: string };

function parseEntry(entry: string): EntryParse {
	const slash = entry.indexOf('/');
	const addressText = slash < 0 ? entry : entry.slice(0, slash);
	const address = parseAddress(addressText);
	if (!address) {
		return {
			ok: false,
			problem: `is not an IPv4 or IPv6 address or CIDR range (${EXAMPLES}; IPv4 numbers without leading zeros, no brackets or zone ids)`,
		};
	}
	const writtenAsIpv4 = !addressText.includes(':');
	const maxPrefix = writtenAsIpv4 ? 32 : 128;
	if (slash < 0) return { ok: true, range: { network: address.value, bits: 128 } };
	const prefixText = entry.slice(slash + 1);
	const prefix = PREFIX_LENGTH.test(prefixText) ? Number(prefixText) : NaN;
	if (!(prefix <= maxPrefix)) {
		return {
			ok: false,
			problem: `has an invalid prefix length: after the "/" write a whole number from 0 to ${maxPrefix} for ${writtenAsIpv4 ? 'IPv4' : 'IPv6'}`,
		};
	}
	const bits = writtenAsIpv4 ? IPV4_BITS_OFFSET + prefix : prefix;
	const network = networkOf(address.value, bits);
	if (network !== address.value) {
		// A set host part usually means a typo in the address or the prefix; refuse to guess.
		const meant = formatAddress({ value: network, isIpv4: writtenAsIpv4 }) + `/${prefix}`;
		return {
			ok: false,
			problem: `has address bits set after its /${prefix} prefix; that range is written ${meant}`,
		};
	}
	return { ok: true, range: { network, bits } };
}

/** Splits the allowlist text into entries: commas, spaces and line breaks separate them. */
export function allowlistEntries(text: string): string[] {
	return text.split(/[\s,]+/).filter((entry) => entry !== '');
}

/**
 * Parses every entry, or explains the first unusable one (by position and text), so that a typo
 * can never widen or silently drop part of the list. An empty list means: no restriction.
 */
export function parseAllowlist(text: string): AllowlistParse {
	const ranges: AddressRange[] = [];
	for (const [index, entry] of allowlistEntries(text).entries()) {
		const parsed = parseEntry(entry);
		if (!parsed.ok) {
			const shown = JSON.stringify(entry.length > 60 ? `${entry.slice(0, 60)}…` : entry);
			return {
				ok: false,
				problem: `IP Allowlist entry ${index + 1}, ${shown}, ${parsed.problem}.`,
			};
		}
		ranges.push(parsed.range);
	}
	return { ok: true, ranges };
}

/** Whether the client address lies in one of the ranges; an unknown address never does. */
export function isAllowed(address: IpAddress | null, ranges: AddressRange[]): boolean {
	if (!address) return false;
	return ranges.some((range) => networkOf(address.value, range.bits) === range.network);
}
