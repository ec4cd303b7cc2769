import { joinUrl, productionWebhookUrl } from '../../../../lib/n8n/webhookUrl';

describe('productionWebhookUrl', () => {
	it.each([
		['http://localhost:5678/webhook-waiting/17', 'orders', 'http://localhost:5678/webhook/orders'],
		[
			'https://n8n.example.com/sub/webhook-waiting/17?signature=abc',
			'a/b',
			'https://n8n.example.com/sub/webhook/a/b',
		],
	])('turns the resume URL %s into the webhook URL of %s', (resumeUrl, path, expected) => {
		expect(productionWebhookUrl(resumeUrl, path)).toBe(expected);
	});

	it.each(['http://localhost:5678/custom-waiting/17', 'not a url', ''])(
		'cannot tell from %p, where endpoints were renamed or the URL is unusable',
		(resumeUrl) => expect(productionWebhookUrl(resumeUrl, 'orders')).toBeUndefined(),
	);
});

describe('joinUrl', () => {
	it('joins with exactly one slash', () => {
		expect(joinUrl('http://h/webhook/', '/orders')).toBe('http://h/webhook/orders');
		expect(joinUrl('http://h/webhook', 'orders')).toBe('http://h/webhook/orders');
	});
});
