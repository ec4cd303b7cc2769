import { signedContent, signsUrl } from '../../../../lib/signing/profile';
import { square } from '../../../../lib/signing/senders/square';
import { stripe } from '../../../../lib/signing/senders/stripe';

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

describe('signedContent with what the request says besides its body', () => {
	const values = {
		timestamp: '1700000000123',
		url: 'https://n8n.example.com/webhook/a?b={id}',
		method: 'POST',
		formParams: 'Bodyhi',
		id: 'msg_1',
	};

	it.each([
		[
			'{method}{url}{body}{timestamp}',
			'POSThttps://n8n.example.com/webhook/a?b={id}',
			'1700000000123',
		],
		['{url}{body}', 'https://n8n.example.com/webhook/a?b={id}', ''],
	])('fills %s once: a URL holding "{id}" keeps it', (template, before, after) => {
		expect(signedContent(template, values)).toEqual({ before, after });
	});

	it('signs only the filled template, without the body, when it has no {body}', () => {
		expect(signedContent('{url}{formParams}', values)).toEqual({
			before: 'https://n8n.example.com/webhook/a?b={id}Bodyhi',
			after: '',
			withoutBody: true,
		});
	});

	it('tells the profiles that sign the URL', () => {
		expect([signsUrl(square), signsUrl(stripe)]).toEqual([true, false]);
	});
});
