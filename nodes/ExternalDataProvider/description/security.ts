import type { INodeProperties } from 'n8n-workflow';

import { securityCollection } from '../../../lib/n8n/securityProperties';

export const securityProperties: INodeProperties[] = [
	securityCollection({ callers: 'clients', tokens: true }),
];
