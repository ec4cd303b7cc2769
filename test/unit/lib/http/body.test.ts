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
});
