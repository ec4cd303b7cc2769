import { parseClientAddress } from '../../../../lib/security/address';
import { allowlistEntries, isAllowed, parseAllowlist } from '../../../../lib/security/allowlist';

function allows(list: string, client: string | undefined): boolean {
	const parsed = parseAllowlist(list);
	if (!parsed.ok) throw new Error(parsed.problem);
	return isAllowed(parseClientAddress(client), parsed.ranges);
}

function problemOf(list: string): string {
	const parsed = parseAllowlist(list);
	if (parsed.ok) throw new Error(`${list} was accepted`);
	return parsed.problem;
}

describe('IP allowlist', () => {
	it('splits entries on commas, spaces and line breaks, dropping blanks', () => {
		expect(allowlistEntries(' 10.0.0.1,, 10.0.0.2\n10.0.0.3\t,\r\n::1 ')).toEqual([
			'10.0.0.1',
			'10.0.0.2',
			'10.0.0.3',
			'::1',
		]);
		expect(parseAllowlist(' , \n')).toEqual({ ok: true, ranges: [] });
	});

	it.each([
		// single IPv4 addresses
		['203.0.113.7', '203.0.113.7', true],
		['203.0.113.7', '203.0.113.8', false],
		['203.0.113.7', '::ffff:203.0.113.7', true],
		// IPv4 ranges, boundaries included
		['10.0.0.0/8', '10.0.0.0', true],
		['10.0.0.0/8', '10.255.255.255', true],
		['10.0.0.0/8', '11.0.0.0', false],
		['10.0.0.0/8', '9.255.255.255', false],
		['192.168.1.0/24', '192.168.1.200', true],
		['192.168.1.0/24', '192.168.2.1', false],
		['192.168.1.128/25', '192.168.1.127', false],
		['192.168.1.128/25', '192.168.1.128', true],
		['198.51.100.7/32', '198.51.100.7', true],
		['198.51.100.7/32', '198.51.100.6', false],
		['0.0.0.0/0', '8.8.8.8', true],
		['0.0.0.0/0', '2001:db8::1', false],
		// IPv4 entries match IPv4-mapped clients, as a dual-stack n8n reports IPv4 callers
		['127.0.0.0/8', '::ffff:127.0.0.1', true],
		['127.0.0.1', '::ffff:127.0.0.1', true],
		['127.0.0.1', '::1', false],
		['::1', '127.0.0.1', false],
		['::1', '::1', true],
		// IPv6 addresses and ranges
		['2001:db8::1', '2001:db8:0:0::1', true],
		['2001:db8::1', '2001:db8::2', false],
		['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
		['2001:db8::/32', '2001:db9::', false],
		['2001:db8:abcd:12::/64', '2001:db8:abcd:12:1:2:3:4', true],
		['2001:db8:abcd:12::/64', '2001:db8:abcd:13::1', false],
		['2001:db8::/127', '2001:db8::1', true],
		['2001:db8::/127', '2001:db8::2', false],
		['fe80::/10', 'fe80::1%eth0', true],
		['fe80::/10', 'fec0::1', false],
		['::/0', '2001:db8::1', true],
		// IPv4-mapped entries written in IPv6 match the plain IPv4 client
		['::ffff:10.0.0.0/104', '10.200.0.1', true],
		['::ffff:10.0.0.0/104', '11.0.0.1', false],
		['::ffff:0:0/96', '192.0.2.1', true],
		['::ffff:0:0/96', '2001:db8::1', false],
		['::ffff:192.0.2.1', '192.0.2.1', true],
	])('%s allows %s: %s', (list, client, expected) => {
		expect(allows(list, client)).toBe(expected);
	});

	it('allows a client that any entry allows', () => {
		const list = '203.0.113.7, 10.0.0.0/8\n2001:db8::/32';
		expect(allows(list, '203.0.113.7')).toBe(true);
		expect(allows(list, '10.1.2.3')).toBe(true);
		expect(allows(list, '2001:db8::99')).toBe(true);
		expect(allows(list, '192.0.2.1')).toBe(false);
	});

	it('never allows a client whose address is unknown or unreadable', () => {
		expect(allows('0.0.0.0/0, ::/0', undefined)).toBe(false);
		expect(allows('0.0.0.0/0, ::/0', '')).toBe(false);
		expect(allows('0.0.0.0/0, ::/0', 'not-an-ip')).toBe(false);
	});

	it.each([
		['10.0.0.300', 1, 'is not an IPv4 or IPv6 address or CIDR range'],
		['localhost', 1, 'is not an IPv4 or IPv6 address or CIDR range'],
		['010.0.0.1', 1, 'without leading zeros'],
		['[::1]', 1, 'no brackets or zone ids'],
		['fe80::1%eth0', 1, 'no brackets or zone ids'],
		['10.0.0.0/33', 1, 'whole number from 0 to 32 for IPv4'],
		['2001:db8::/129', 1, 'whole number from 0 to 128 for IPv6'],
		['10.0.0.0/', 1, 'invalid prefix length'],
		['10.0.0.0/08', 1, 'invalid prefix length'],
		['10.0.0.0/-1', 1, 'invalid prefix length'],
		['10.0.0.0/8/8', 1, 'invalid prefix length'],
		['10.0.0.0/8.5', 1, 'invalid prefix length'],
		['/8', 1, 'is not an IPv4 or IPv6 address'],
		['10.0.0.1/8', 1, 'that range is written 10.0.0.0/8'],
		['192.168.1.5/24', 1, 'that range is written 192.168.1.0/24'],
		['2001:db8::1/32', 1, 'that range is written 2001:db8::/32'],
		['10.0.0.1, 10.0.0.0/8, 10.0.0.0/8x', 3, '"10.0.0.0/8x"'],
		['10.0.0.1 2001:db8::g', 2, '"2001:db8::g"'],
	])('refuses %j, naming entry %d: %s', (list, position, fragment) => {
		const problem = problemOf(list);
		expect(problem).toContain(`IP Allowlist entry ${position},`);
		expect(problem).toContain(fragment);
	});

	it('refuses a whole list for one bad entry, so a typo never silently allows or drops anything', () => {
		expect(parseAllowlist('10.0.0.0/8, 10.0.0.256').ok).toBe(false);
	});

	it('shortens a very long bad entry in the message', () => {
		const problem = problemOf('x'.repeat(500));
		expect(problem.length).toBeLessThan(300);
		expect(problem).toContain('…');
	});
});
