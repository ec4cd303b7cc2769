import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookSigningSecretApi implements ICredentialType {
	name = 'webhookSigningSecretApi';

	displayName = 'Webhook Signing Secret API';

	icon: Icon = {
		light: 'file:webhookSigningSecret.svg',
		dark: 'file:webhookSigningSecret.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-flow-webhooks/n8n-nodes-flow-webhooks/blob/main/docs/security.md#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'Both sides of a webhook share this secret: the sender signs each request with it and the receiver checks the signature. Generate a strong one with <code>echo "whsec_$(openssl rand -base64 32)"</code> and give the same value to the other system.',
			name: 'generateNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'whsec_<base64 of 32 random bytes>',
			description:
				'The shared signing secret, exactly as the sender shows it (Stripe: the whole whsec_… value). Each Verification reads it as its sender does: Standard Webhooks base64-decodes what follows "whsec_", Stripe and GitHub Style use it as text, Custom HMAC as its Secret Encoding says. Discord and SendGrid sign with a private key: paste the public key they show instead.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while rotating: the old secret, still accepted when verifying incoming requests until every sender uses the new one. Outgoing requests are always signed with the current secret. Clear it once the rotation is done.',
		},
	];
}
