import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_RATE_LIMIT_WINDOW_SECONDS } from '../security/policy';

import { SECURITY_PARAMETER } from './security';

interface SecurityTexts {
	/** How the node's texts name its callers ("senders", "clients"). */
	callers: string;
	/** Whether callers present access tokens, so the rate limit may count per token. */
	tokens: boolean;
}

const rateLimitKeyProperty: INodeProperties = {
	displayName: 'Rate Limit By',
	name: 'rateLimitKey',
	type: 'options',
	options: [
		{
			name: 'Access Token',
			value: 'token',
			description:
				'Each token of the credential (give each client its own under Additional Tokens) has its own allowance, even when clients share an address (NAT, proxy). Requests without a valid token count by address.',
		},
		{
			name: 'Client Address',
			value: 'ip',
			description: 'Each client address has its own allowance',
		},
	],
	default: 'ip',
	description: 'What the rate limit counts requests by',
	displayOptions: { hide: { '/authentication': ['none'] } },
};

/** The "Security" collection: IP allowlist and rate limit, both off until added. */
export function securityCollection({ callers, tokens }: SecurityTexts): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'IP Allowlist',
			name: 'ipAllowlist',
			type: 'string',
			default: '',
			placeholder: 'e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32',
			description: `Only ${callers} at these addresses get through; others get 403 "ip_not_allowed" and start nothing. Single addresses and CIDR ranges, IPv4 and IPv6, separated by commas or spaces; an IPv4 entry also matches its IPv4-mapped IPv6 form (::ffff:a.b.c.d). The address is the one n8n resolves for the request: behind a reverse proxy, set N8N_PROXY_HOPS to the number of proxies in front of n8n, or every request seems to come from the proxy. A malformed entry makes the node refuse every request (500 "misconfigured") and names the entry in the n8n log.`,
		},
		{
			displayName: 'Rate Limit (Requests)',
			name: 'rateLimitRequests',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: `Limits how often each of your ${callers} may call: up to this many requests at once, with the allowance refilling evenly over the window (60 per 60 seconds: bursts of 60, one per second after that). Requests over it get 429 "rate_limited" with Retry-After and start nothing. Counted in this n8n process's memory: in queue mode each webhook process counts on its own, and a restart starts afresh. IPv6 addresses count per /64 network.`,
		},
		...(tokens ? [rateLimitKeyProperty] : []),
		{
			displayName: 'Rate Limit Window (Seconds)',
			name: 'rateLimitWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
			description:
				'The time over which the Rate Limit (Requests) allowance refills completely. Has no effect without Rate Limit (Requests).',
		},
	];
	return {
		displayName: 'Security',
		name: SECURITY_PARAMETER,
		type: 'collection',
		placeholder: 'Add Security Option',
		default: {},
		description: `Restrict which ${callers} may call and how often. Refused requests are answered before any other check and start nothing.`,
		options,
	};
}
