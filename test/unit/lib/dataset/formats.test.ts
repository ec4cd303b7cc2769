import { toCsv, toNdjson } from '../../../../lib/dataset/formats';

describe('toCsv', () => {
	it('writes a header row and one CRLF-terminated row per item', () => {
		expect(
			toCsv([
				{ id: 1, name: 'Ada' },
				{ id: 2, name: 'Grace' },
			]),
		).toBe('id,name\r\n1,Ada\r\n2,Grace\r\n');
	});

	it('takes the columns of all items, in order of first appearance', () => {
		expect(toCsv([{ a: 1 }, { b: 2, a: 3 }, { c: 4 }])).toBe('a,b,c\r\n1,,\r\n3,2,\r\n,,4\r\n');
	});

	it.each([
		['a comma', 'a,b', '"a,b"'],
		['a quote, doubled', 'say "hi"', '"say ""hi"""'],
		['a line feed', 'one\ntwo', '"one\ntwo"'],
		['a carriage return', 'one\rtwo', '"one\rtwo"'],
		['CRLF', 'one\r\ntwo', '"one\r\ntwo"'],
	])('quotes a field containing %s (RFC 4180)', (_, value, field) => {
		expect(toCsv([{ v: value }])).toBe(`v\r\n${field}\r\n`);
	});

	it('leaves other text as it is, spaces and Unicode included', () => {
		expect(toCsv([{ v: ' padded ' }, { v: 'Grüße 👋' }, { v: "it's; fine" }])).toBe(
			"v\r\n padded \r\nGrüße 👋\r\nit's; fine\r\n",
		);
	});

	it('writes nested values as JSON, quoted as needed', () => {
		expect(toCsv([{ tags: ['a', 'b'], geo: { lat: 1 } }])).toBe(
			'tags,geo\r\n"[""a"",""b""]","{""lat"":1}"\r\n',
		);
	});

	it('writes numbers and booleans as text, null and missing as empty', () => {
		expect(toCsv([{ n: 1.5, t: true, f: false, z: 0, nil: null }, {}])).toBe(
			'n,t,f,z,nil\r\n1.5,true,false,0,\r\n,,,,\r\n',
		);
	});

	it('leaves a field empty in rows without it, even when it is named like an Object member', () => {
		const rows = JSON.parse('[{"constructor":"x"},{"__proto__":5},{"toString":1},{}]');
		expect(toCsv(rows)).toBe('constructor,__proto__,toString\r\nx,,\r\n,5,\r\n,,1\r\n,,\r\n');
	});

	it('quotes header names that need it', () => {
		expect(toCsv([{ 'a,b': 1 }])).toBe('"a,b"\r\n1\r\n');
	});

	it('is empty when there are no columns', () => {
		expect(toCsv([])).toBe('');
		expect(toCsv([{}])).toBe('');
	});
});

describe('toNdjson', () => {
	it('writes one JSON document per LF-terminated line', () => {
		expect(toNdjson([{ a: 1 }, { b: 'x\ny' }])).toBe('{"a":1}\n{"b":"x\\ny"}\n');
	});

	it('is empty for no rows', () => {
		expect(toNdjson([])).toBe('');
	});
});
