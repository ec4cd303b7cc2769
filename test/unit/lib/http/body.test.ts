import { parseBody } from '../../../../lib/http/body';

const parse = (text: string, contentType?: string) => parseBody(Buffer.from(text), contentType);

describe('parseBody', () => {
	it.each([
		['application/json', undefined],
		['application/json; charset=utf-8', undefined],
		['application/cloudevents+json', undefined],
		['no content type', ''],
	])('parses JSON sent as %s', (type, given) => {
		const contentType = given ?? type;
		expect(parse('{"a":[1,2]}', contentType)).toEqual({ kind: 'parsed', value: { a: [1, 2] } });
	});

	it('parses a form into its fields, keeping every value of a repeated name in order', () => {
		expect(
			parse(
				'command=%2Fdeploy&text=now+please&tag=a&tag=b&tag=c',
				'application/x-www-form-urlencoded',
			),
		).toEqual({
			kind: 'parsed',
			value: { command: '/deploy', text: 'now please', tag: ['a', 'b', 'c'] },
		});
	});

	it('tells unreadable JSON from a type it does not read', () => {
		expect(parse('{"a":', 'application/json')).toEqual({ kind: 'invalid_json' });
		expect(parse('<a/>', 'application/xml')).toEqual({ kind: 'unsupported_type' });
		expect(parse('a=1', 'text/plain')).toEqual({ kind: 'unsupported_type' });
	});

	describe('a form whose JSON is in one field (jsonFormField)', () => {
		const FORM = 'application/x-www-form-urlencoded';
		const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
		const parseWith = (text: string, type = FORM) => parseBody(Buffer.from(text), type, 'payload');

		it("is that field's JSON, parsed", () => {
			expect(parseWith(form({ payload: '{"type":"block_actions","n":1}' }))).toEqual({
				kind: 'parsed',
				value: { type: 'block_actions', n: 1 },
			});
		});

		it('is invalid JSON when the field is not JSON', () => {
			expect(parseWith(form({ payload: '{nope' }))).toEqual({ kind: 'invalid_json' });
		});

		it('stays a form without the field, or with it sent more than once', () => {
			expect(parseWith(form({ command: '/deploy' }))).toEqual({
				kind: 'parsed',
				value: { command: '/deploy' },
			});
			expect(parseWith('payload=%7B%7D&payload=%7B%7D')).toEqual({
				kind: 'parsed',
				value: { payload: ['{}', '{}'] },
			});
		});

		it('leaves a JSON body as it is, even with a field of that name', () => {
			expect(parseWith('{"payload":"{}"}', 'application/json')).toEqual({
				kind: 'parsed',
				value: { payload: '{}' },
			});
		});
	});
});
