import {
	formatAddress,
	networkOf,
	parseAddress,
	parseClientAddress,
} from '../../../../lib/security/address';

const canonical = (text: string) => {
	const address = parseAddress(text);
	return address && formatAddress(address);
};

describe('IP address parsing', () => {
	it.each([
		['0.0.0.0', '0.0.0.0'],
		['127.0.0.1', '127.0.0.1'],
		['255.255.255.255', '255.255.255.255'],
		['203.0.113.7', '203.0.113.7'],
		['::', '::'],
		['::1', '::1'],
		['2001:db8::1', '2001:db8::1'],
		['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
		['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
		['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
		['fe80::', 'fe80::'],
		['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
		['1::8', '1::8'],
		['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
		['::ffff:0:1', '0.0.0.1'],
		['::ffff:127.0.0.1', '127.0.0.1'],
		['::FFFF:7f00:1', '127.0.0.1'],
		['0:0:0:0:0:ffff:10.1.2.3', '10.1.2.3'],
		['::1.2.3.4', '::102:304'],
		['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
	])('reads %s as %s', (text, expected) => {
		expect(canonical(text)).toBe(expected);
	});

	it.each([
		'',
		' ',
		'1.2.3',
		'1.2.3.4.5',
		'256.0.0.1',
		'1.2.3.-1',
		'01.2.3.4',
		'1.2.3.04',
		'1.2.3.4 ',
		'0x7f.0.0.1',
		'127.1',
		'localhost',
		':',
		':::',
		'1:::2',
		'1::2::3',
		':1::',
		'1:',
		':1',
		'1:2:3:4:5:6:7',
		'1:2:3:4:5:6:7:8:9',
		'1:2:3:4::5:6:7:8',
		'12345::',
		'g::1',
		'[::1]',
		'fe80::1%eth0',
		'::ffff:1.2.3',
		'::ffff:256.1.1.1',
		'1.2.3.4::',
		'::1.2.3.4:5',
		'1:2:3:4:5:6:1.2.3.4:8',
		'1.2.3.4/8',
	])('refuses %j', (text) => {
		expect(parseAddress(text)).toBeNull();
	});

	it('holds IPv4 in its IPv4-mapped IPv6 form, so both spellings are one address', () => {
		expect(parseAddress('127.0.0.1')).toEqual(parseAddress('::ffff:127.0.0.1'));
		expect(parseAddress('127.0.0.1')).toEqual({ value: 0xffff7f000001n, isIpv4: true });
		expect(parseAddress('::1')).toEqual({ value: 1n, isIpv4: false });
		expect(parseAddress('::127.0.0.1')?.isIpv4).toBe(false);
	});

	it('reads client addresses as Node.js reports them: zone ids dropped, blanks trimmed', () => {
		expect(parseClientAddress('fe80::1%eth0')).toEqual(parseAddress('fe80::1'));
		expect(parseClientAddress(' 10.0.0.1 ')).toEqual(parseAddress('10.0.0.1'));
		expect(parseClientAddress('::ffff:10.0.0.1')).toEqual(parseAddress('10.0.0.1'));
		expect(parseClientAddress(undefined)).toBeNull();
		expect(parseClientAddress('')).toBeNull();
		expect(parseClientAddress('unknown')).toBeNull();
	});

	it('clears host bits', () => {
		const address = parseAddress('2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff')!;
		expect(formatAddress({ value: networkOf(address.value, 64), isIpv4: false })).toBe(
			'2001:db8:aaaa:bbbb::',
		);
		expect(networkOf(address.value, 128)).toBe(address.value);
		expect(networkOf(address.value, 0)).toBe(0n);
		const ipv4 = parseAddress('10.20.30.40')!;
		expect(formatAddress({ value: networkOf(ipv4.value, 96 + 16), isIpv4: true })).toBe(
			'10.20.0.0',
		);
	});

	it('writes the longest zero run as ::, the first of equal runs, and never a single zero group', () => {
		expect(canonical('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
		expect(canonical('1:0:0:2:0:0:3:4')).toBe('1::2:0:0:3:4');
		expect(canonical('0:0:0:0:0:0:0:1')).toBe('::1');
		expect(canonical('1:0:0:0:0:0:0:0')).toBe('1::');
	});
});
