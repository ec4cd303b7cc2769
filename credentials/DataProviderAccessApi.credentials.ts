import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

export class DataProviderAccessApi implements ICredentialType {
	name = 'dataProviderAccessApi';

	displayName = 'Data Provider Access API';

	icon: Icon = {
		light: 'file:dataProviderAccess.svg',
		dark: 'file:dataProviderAccess.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks/blob/main/docs/security.md#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'Clients of an External Data Provider send one of these tokens with each request. Generate a strong one with <code>openssl rand -base64 32</code>.',
			name: 'generateNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A token clients may send: at least 16 characters of letters, digits and - . _ ~ + / (base64 and hex both fit)',
		},
		{
			displayName: 'Additional Tokens',
			name: 'additionalTokens',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'More accepted tokens, separated by commas: give each client its own, or, while rotating, keep the old token here until every client has the new one, then remove it',
		},
	];
}
