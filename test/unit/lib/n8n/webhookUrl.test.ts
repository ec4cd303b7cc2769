import type { INode } from 'n8n-workflow';

import { nodeWebhookUrlUnder, productionWebhookBase } from '../../../../lib/n8n/webhookUrl';

describe('productionWebhookBase', () => {
	it.each([
		['http://localhost:5678/webhook-waiting/17', 'http://localhost:5678/webhook/'],
		[
			'https://n8n.example.com/sub/webhook-waiting/17?signature=abc',
			'https://n8n.example.com/sub/webhook/',
		],
	])('turns the resume URL %s into the webhook base %s', (resumeUrl, expected) => {
		expect(productionWebhookBase(resumeUrl)).toBe(expected);
	});

	it.each(['http://localhost:5678/custom-waiting/17', 'not a url', ''])(
		'cannot tell from %p, where endpoints were renamed or the URL is unusable',
		(resumeUrl) => expect(productionWebhookBase(resumeUrl)).toBeUndefined(),
	);
});

describe('nodeWebhookUrlUnder', () => {
	const node = { id: 'node-1', name: 'Trigger', webhookId: 'hook-1' } as INode;

	it.each(['http://h/webhook/', 'http://h/webhook'])(
		'puts the node webhook path under %s with exactly one slash',
		(base) => {
			expect(nodeWebhookUrlUnder(base, 'wf', node, 'publish')).toBe(
				'http://h/webhook/hook-1/publish',
			);
		},
	);
});
