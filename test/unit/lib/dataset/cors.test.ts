import { corsHeaders, parseAllowedOrigins } from '../../../../lib/dataset/cors';

describe('parseAllowedOrigins', () => {
	it('reads empty text as none', () => {
		expect(parseAllowedOrigins('')).toEqual({ kind: 'none' });
		expect(parseAllowedOrigins(' , ')).toEqual({ kind: 'none' });
	});

	it('reads * as any origin', () => {
		expect(parseAllowedOrigins('*')).toEqual({ kind: 'any' });
		expect(parseAllowedOrigins('https://a.example, *')).toEqual({ kind: 'any' });
	});

	it('normalises a list: trimmed, lower case, without trailing slashes', () => {
		expect(parseAllowedOrigins(' https://Dash.Example/ ,http://localhost:3000')).toEqual({
			kind: 'list',
			origins: ['https://dash.example', 'http://localhost:3000'],
		});
	});
});

describe('corsHeaders', () => {
	const list = parseAllowedOrigins('https://dash.example,http://localhost:3000');

	it('adds nothing when no origin is allowed', () => {
		expect(corsHeaders('https://dash.example', { kind: 'none' })).toEqual({});
	});

	it('allows any origin with *, exposing the ETag', () => {
		expect(corsHeaders('https://anything.example', { kind: 'any' })).toEqual({
			'Access-Control-Allow-Origin': '*',
			'Access-Control-Expose-Headers': 'ETag, Retry-After',
		});
	});

	it('echoes a listed origin, whatever its case', () => {
		expect(corsHeaders('https://DASH.example', list)).toEqual({
			'Access-Control-Allow-Origin': 'https://DASH.example',
			Vary: 'Origin',
			'Access-Control-Expose-Headers': 'ETag, Retry-After',
		});
	});

	it('only varies by origin for other and absent origins', () => {
		expect(corsHeaders('https://evil.example', list)).toEqual({ Vary: 'Origin' });
		expect(corsHeaders('https://dash.example.evil.example', list)).toEqual({ Vary: 'Origin' });
		expect(corsHeaders(undefined, list)).toEqual({ Vary: 'Origin' });
		expect(corsHeaders('null', list)).toEqual({ Vary: 'Origin' });
	});
});
