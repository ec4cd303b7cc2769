/**
 * IP addresses as 128-bit numbers. IPv4 addresses are held in their IPv4-mapped IPv6 form
 * (::ffff:a.b.c.d), which is also how a dual-stack server sees IPv4 clients, so "127.0.0.1" and
 * "::ffff:127.0.0.1" are the same address everywhere in this package.
 */
export interface IpAddress {
	value: bigint;
	/** Whether it is an IPv4 address (written either way). */
	isIpv4: boolean;
}

const IPV4_MAPPED_PREFIX = 0xffffn << 32n;
const IPV4_MAPPED_MASK = ((1n << 96n) - 1n) << 32n;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
// Four decimal numbers without leading zeros: "010" is octal to some tools and decimal to others.
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

function parseIpv4Number(text: string): number | null {
	const match = IPV4.exec(text);
	if (!match) return null;
	const octets = match.slice(1).map(Number);
	if (octets.some((octet) => octet > 255)) return null;
	return octets.reduce((value, octet) => value * 256 + octet, 0);
}

function parseHexGroups(part: string): number[] | null {
	if (part === '') return [];
	const groups = part.split(':');
	if (!groups.every((group) => HEX_GROUP.test(group))) return null;
	return groups.map((group) => parseInt(group, 16));
}

/** Replaces a trailing dotted IPv4 part (::ffff:1.2.3.4) by the two hex groups it stands for. */
function withHexTail(text: string): string | null {
	if (!text.includes('.')) return text;
	const lastColon = text.lastIndexOf(':');
	const ipv4 = parseIpv4Number(text.slice(lastColon + 1));
	if (lastColon < 0 || ipv4 === null) return null;
	const high = Math.floor(ipv4 / 0x10000).toString(16);
	const low = (ipv4 % 0x10000).toString(16);
	return `${text.slice(0, lastColon + 1)}${high}:${low}`;
}

function parseIpv6Value(text: string): bigint | null {
	const hexText = withHexTail(text);
	if (hexText === null) return null;
	const halves = hexText.split('::');
	if (halves.length > 2) return null;
	const head = parseHexGroups(halves[0]);
	const tail = halves.length === 2 ? parseHexGroups(halves[1]) : [];
	if (head === null || tail === null) return null;
	const explicit = head.length + tail.length;
	if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
	const groups = [...head, ...Array<number>(8 - explicit).fill(0), ...tail];
	return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** Parses one address in its textual form, or returns null. No zone ids, no brackets. */
export function parseAddress(text: string): IpAddress | null {
	const ipv4 = parseIpv4Number(text);
	if (ipv4 !== null) return { value: IPV4_MAPPED_PREFIX | BigInt(ipv4), isIpv4: true };
	const value = parseIpv6Value(text);
	if (value === null) return null;
	return { value, isIpv4: (value & IPV4_MAPPED_MASK) === IPV4_MAPPED_PREFIX };
}

/**
 * Parses the address of a connected client as Node.js reports it: a zone id (fe80::1%eth0) is
 * dropped, since it names the local interface, not the peer.
 */
export function parseClientAddress(text: string | undefined): IpAddress | null {
	const trimmed = text?.trim() ?? '';
	const zone = trimmed.indexOf('%');
	return parseAddress(zone >= 0 ? trimmed.slice(0, zone) : trimmed);
}

function formatIpv4(value: bigint): string {
	return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** The longest run of two or more zero groups, which RFC 5952 writes as "::". */
function longestZeroRun(groups: number[]): { start: number; length: number } {
	let best = { start: -1, length: 0 };
	let start = -1;
	groups.forEach((group, index) => {
		if (group !== 0) {
			start = -1;
			return;
		}
		if (start < 0) start = index;
		const length = index - start + 1;
		if (length > best.length) best = { start, length };
	});
	return best.length >= 2 ? best : { start: -1, length: 0 };
}

function formatIpv6(value: bigint): string {
	const groups = Array.from({ length: 8 }, (_, index) =>
		Number((value >> BigInt(112 - index * 16)) & 0xffffn),
	);
	const run = longestZeroRun(groups);
	const hex = (part: number[]) => part.map((group) => group.toString(16)).join(':');
	if (run.start < 0) return hex(groups);
	return `${hex(groups.slice(0, run.start))}::${hex(groups.slice(run.start + run.length))}`;
}

/** The canonical text of an address: dotted for IPv4, RFC 5952 for IPv6. */
export function formatAddress(address: IpAddress): string {
	return address.isIpv4 ? formatIpv4(address.value) : formatIpv6(address.value);
}

/** The address with every bit after the first `bits` (of 128) cleared. */
export function networkOf(value: bigint, bits: number): bigint {
	const hostBits = BigInt(128 - bits);
	return (value >> hostBits) << hostBits;
}
