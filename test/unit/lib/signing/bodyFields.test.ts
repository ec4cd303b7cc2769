import { bodyFields, firstField } from '../../../../lib/signing/bodyFields';

const BODY = JSON.stringify({
	signature: { timestamp: 1_700_000_000, token: 'abc', signature: 'f0', blank: ' ' },
	'event-data': { id: 'e1', flags: { test: true } },
});

describe('bodyFields', () => {
	it('reads text fields by dotted path, and numbers as their text', () => {
		const fields = bodyFields(Buffer.from(BODY));
		expect(fields('signature.token')).toBe('abc');
		expect(fields('signature.timestamp')).toBe('1700000000');
		expect(fields('event-data.id')).toBe('e1');
	});

	it('reads neither a blank text, an object, a boolean nor a missing field', () => {
		const fields = bodyFields(BODY);
		for (const path of ['signature.blank', 'signature', 'event-data.flags.test', 'a.b.c'])
			expect(fields(path)).toBeUndefined();
	});

	it.each([[''], ['not json'], ['[{"signature":{"token":"abc"}}]'], ['"text"'], ['null']])(
		'reads nothing from %j, a body that is no JSON object',
		(body) => expect(bodyFields(body)('signature.token')).toBeUndefined(),
	);

	it('reads nothing without a body', () => {
		expect(bodyFields()('signature.token')).toBeUndefined();
	});
});

describe('firstField', () => {
	it('gives the first of the paths the body holds, with its value', () => {
		const fields = bodyFields(BODY);
		expect(firstField(fields, ['signature.missing', 'signature.token'])).toEqual([
			'signature.token',
			'abc',
		]);
		expect(firstField(fields, ['signature.missing'])).toBeUndefined();
		expect(firstField(fields)).toBeUndefined();
	});
});
