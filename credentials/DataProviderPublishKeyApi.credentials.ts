import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

export class DataProviderPublishKeyApi implements ICredentialType {
	name = 'dataProviderPublishKeyApi';

	displayName = 'Data Provider Publish Key API';

	icon: Icon = {
		light: 'file:dataProviderAccess.svg',
		dark: 'file:dataProviderAccess.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks/blob/main/docs/security.md#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'Signs the requests through which an External Data Provider publishes when its run does not hold the published data (queue-mode workers, the first publish). Clients of the data never need it. Generate one with <code>openssl rand -base64 32</code>; one key can serve all your providers. Changing it makes publishes in flight fail once with a retryable error.',
			name: 'publishKeyNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Publish Key',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'At least 32 random characters, without spaces',
		},
	];
}
