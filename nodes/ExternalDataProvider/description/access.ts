import type { INodeProperties } from 'n8n-workflow';

import { PROVIDER_DEFAULTS } from '../defaults';

// Plain names: n8n's lint reads a default only from a literal or a name.
const { authentication, headerName } = PROVIDER_DEFAULTS;

export const accessProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Bearer Token',
				value: 'bearerToken',
				description:
					'Clients send "Authorization: Bearer &lt;token&gt;" with a token from the credential',
			},
			{
				name: 'Custom Header',
				value: 'customHeader',
				description: 'Clients send a token from the credential in a header you name',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Anyone who knows the URL can read the data',
			},
		],
		default: authentication,
		description:
			'How clients prove they may read the data. Requests without a valid token are answered 401.',
	},
	{
		displayName:
			'The published data is public: anyone who knows the Production URL can read it. Choose an authentication method unless that is intended; Security › IP Allowlist (below) can limit who may read it.',
		name: 'publicDataNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'] } },
	},
	{
		displayName: 'Header Name',
		name: 'headerName',
		type: 'string',
		required: true,
		default: headerName,
		description: 'The request header that carries the token',
		displayOptions: { show: { authentication: ['customHeader'] } },
	},
];
