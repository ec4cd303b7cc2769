import {
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
	WEBHOOK_RESOLVERS,
	type IWebhookDescription,
} from 'n8n-workflow';

import { parameterFields, parameterTemplate } from '../../../../lib/n8n/webhookFields';
import { ExternalDataProvider } from '../../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';

const reads = {
	httpMethod: { parameter: 'httpMethod', fallback: 'POST' },
	path: { parameter: 'path' },
};

function description(fields: Record<string, string>): IWebhookDescription {
	return { name: 'default', responseMode: 'onReceived', isFullPath: true, ...fields } as never;
}

describe('parameterFields on an n8n that resolves webhook fields natively', () => {
	const webhook = description(parameterFields(reads));

	it('keeps the expression templates the editor shows', () => {
		expect(webhook.httpMethod).toBe('={{$parameter["httpMethod"] || "POST"}}');
		expect(webhook.path).toBe('={{$parameter["path"]}}');
	});

	it('lets n8n resolve the method and path without the expression engine', () => {
		const node = { parameters: { httpMethod: 'PUT', path: 'flow-events' } };
		expect(resolveWebhookDescriptionField(node, webhook, 'httpMethod')).toEqual({
			resolved: true,
			value: 'PUT',
		});
		expect(resolveWebhookDescriptionField(node, webhook, 'path')).toEqual({
			resolved: true,
			value: 'flow-events',
		});
		expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});

	it('applies the fallback to an empty method, as the template does', () => {
		const node = { parameters: { httpMethod: '', path: '' } };
		expect(resolveWebhookDescriptionField(node, webhook, 'httpMethod')).toEqual({
			resolved: true,
			value: 'POST',
		});
	});

	it('leaves a user expression in any parameter to the engine', () => {
		const node = { parameters: { httpMethod: 'POST', path: '={{ "dynamic" }}' } };
		expect(resolveWebhookDescriptionField(node, webhook, 'path')).toEqual({ resolved: false });
	});
});

describe('parameterFields on an older n8n', () => {
	const fields = parameterFields(reads, {});

	it('declares the same templates, and nothing else', () => {
		expect(fields).toEqual({
			httpMethod: parameterTemplate(reads.httpMethod),
			path: parameterTemplate(reads.path),
		});
		expect(Object.getOwnPropertySymbols(fields)).toEqual([]);
	});

	it('builds templates that quote parameter names and fallbacks', () => {
		expect(parameterTemplate({ parameter: 'path' })).toBe('={{$parameter["path"]}}');
		expect(parameterTemplate({ parameter: 'method', fallback: 'a"b' })).toBe(
			'={{$parameter["method"] || "a\\"b"}}',
		);
	});
});

describe('the nodes declare natively resolvable parameter reads', () => {
	it('the trigger needs no expression engine for its method and path', () => {
		const [webhook] = new FlowWebhookTrigger().description.webhooks!;
		expect(webhook[WEBHOOK_RESOLVERS]).toBeDefined();
		expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});

	it('the provider resolves its path natively; its method still depends on publication', () => {
		const [webhook] = new ExternalDataProvider().description.webhooks!;
		const node = { parameters: { path: 'report' } };
		expect(resolveWebhookDescriptionField(node, webhook, 'path')).toEqual({
			resolved: true,
			value: 'report',
		});
		expect(resolveWebhookDescriptionField(node, webhook, 'httpMethod')).toEqual({
			resolved: false,
		});
	});
});
