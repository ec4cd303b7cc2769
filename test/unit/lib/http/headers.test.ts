import { firstHeaderValue, readHeader } from '../../../../lib/http/headers';

describe('readHeader (request headers)', () => {
	it('finds a header whatever the case of its name', () => {
		expect(readHeader({ 'Webhook-Id': 'msg_1' }, 'webhook-id')).toBe('msg_1');
		expect(readHeader({ 'webhook-id': 'msg_1' }, 'Webhook-ID')).toBe('msg_1');
	});

	it('joins repeated values with a space and trims them', () => {
		expect(readHeader({ 'x-signature': [' v1,a', 'v1,b '] }, 'x-signature')).toBe('v1,a v1,b');
	});

	it('treats a missing or blank header as absent', () => {
		expect(readHeader({}, 'authorization')).toBeUndefined();
		expect(readHeader({ authorization: '   ' }, 'authorization')).toBeUndefined();
		expect(
			readHeader({ authorization: undefined, Authorization: 'Bearer t' }, 'authorization'),
		).toBe('Bearer t');
	});
});

describe('firstHeaderValue (response headers)', () => {
	it('takes the first of repeated values, whatever the case of the name', () => {
		expect(firstHeaderValue({ 'Retry-After': ['7', '9'] }, 'retry-after')).toBe('7');
	});

	it('hands numbers over as text and ignores other values', () => {
		expect(firstHeaderValue({ 'retry-after': 3 }, 'retry-after')).toBe('3');
		expect(firstHeaderValue({ 'retry-after': { seconds: 3 } }, 'retry-after')).toBeUndefined();
		expect(firstHeaderValue({}, 'retry-after')).toBeUndefined();
	});
});
