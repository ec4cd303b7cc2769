import { signedContent } from '../../../../lib/signing/profile';

describe('signedContent', () => {
	it.each([
		['{id}.{timestamp}.{body}', { before: 'msg_1.1700000000.', after: '' }],
		['{timestamp}.{body}', { before: '1700000000.', after: '' }],
		['v0:{timestamp}:{body}', { before: 'v0:1700000000:', after: '' }],
		['{body}{timestamp}', { before: '', after: '1700000000' }],
		['{body}', { before: '', after: '' }],
	])('splits %s around the body, with the values filled in', (template, parts) => {
		expect(signedContent(template, { id: 'msg_1', timestamp: 1_700_000_000 })).toEqual(parts);
	});
});
