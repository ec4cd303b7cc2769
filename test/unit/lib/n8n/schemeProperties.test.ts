import { NodeHelpers, type INode, type INodeParameters } from 'n8n-workflow';

import {
	receivedOnlyPresets,
	secretHintNotices,
	SIGNED_SCHEMES,
} from '../../../../lib/n8n/schemeProperties';
import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { verificationProperties } from '../../../../nodes/FlowWebhookTrigger/description/verification';
import { Notify } from '../../../../nodes/Notify/Notify.node';

describe('the named senders in the editor', () => {
	it('lists the senders only the trigger offers, each with what it reads and where', () => {
		expect(receivedOnlyPresets()).toEqual([
			{
				name: 'Box',
				value: 'box',
				description:
					'BOX-SIGNATURE-PRIMARY / BOX-SIGNATURE-SECONDARY: base64 HMAC of "&lt;body&gt;&lt;time&gt;"',
			},
			{
				name: 'Cal.com',
				value: 'calCom',
				description: 'X-Cal-Signature-256: hex HMAC of the body',
			},
			{
				name: 'Calendly',
				value: 'calendly',
				description: 'Calendly-Webhook-Signature: hex HMAC of "&lt;time&gt;.&lt;body&gt;"',
			},
			{
				name: 'Discord Interactions',
				value: 'discord',
				description: 'X-Signature-Ed25519: hex Ed25519 signature of "&lt;time&gt;&lt;body&gt;"',
			},
			{
				name: 'ElevenLabs',
				value: 'elevenLabs',
				description: 'ElevenLabs-Signature: hex HMAC of "&lt;time&gt;.&lt;body&gt;"',
			},
			{
				name: 'GitLab',
				value: 'gitlab',
				description:
					'The secret token in X-Gitlab-Token; the type from X-Gitlab-Event, the ID from X-Gitlab-Event-UUID',
			},
			{
				name: 'HubSpot',
				value: 'hubspot',
				description:
					'X-HubSpot-Signature-v3: base64 HMAC of "&lt;method&gt;&lt;URL&gt;&lt;body&gt;&lt;time&gt;"',
			},
			{
				name: 'Intercom',
				value: 'intercom',
				description: 'X-Hub-Signature: hex HMAC of the body',
			},
			{
				name: 'Lemon Squeezy',
				value: 'lemonSqueezy',
				description: 'X-Signature: hex HMAC of the body; the type from X-Event-Name',
			},
			{
				name: 'Linear',
				value: 'linear',
				description: 'Linear-Signature: hex HMAC of the body; the ID from Linear-Delivery',
			},
			{
				name: 'Mailgun',
				value: 'mailgun',
				description:
					'Body field signature.signature: hex HMAC of "&lt;time&gt;&lt;nonce&gt;"; each signature.token accepted once',
			},
			{
				name: 'Meta (WhatsApp, Facebook, Instagram)',
				value: 'meta',
				description: 'X-Hub-Signature-256: hex HMAC of the body',
			},
			{
				name: 'Mux',
				value: 'mux',
				description: 'Mux-Signature: hex HMAC of "&lt;time&gt;.&lt;body&gt;"',
			},
			{
				name: 'Paddle Billing',
				value: 'paddle',
				description: 'Paddle-Signature: hex HMAC of "&lt;time&gt;:&lt;body&gt;"',
			},
			{
				name: 'SendGrid Event Webhook',
				value: 'sendgrid',
				description:
					'X-Twilio-Email-Event-Webhook-Signature: base64 ECDSA P-256 signature of "&lt;time&gt;&lt;body&gt;"',
			},
			{
				name: 'Shopify',
				value: 'shopify',
				description:
					'X-Shopify-Hmac-Sha256: base64 HMAC of the body; the type from X-Shopify-Topic, the ID from X-Shopify-Webhook-Id',
			},
			{
				name: 'Slack',
				value: 'slack',
				description: 'X-Slack-Signature: hex HMAC of "v0:&lt;time&gt;:&lt;body&gt;"',
			},
			{
				name: 'Square',
				value: 'square',
				description: 'x-square-hmacsha256-signature: base64 HMAC of "&lt;URL&gt;&lt;body&gt;"',
			},
			{
				name: 'Telegram Bot',
				value: 'telegram',
				description: 'The secret token in X-Telegram-Bot-Api-Secret-Token',
			},
			{
				name: 'Twilio',
				value: 'twilio',
				description: 'X-Twilio-Signature: base64 HMAC of "&lt;URL&gt;&lt;sorted form fields&gt;"',
			},
			{
				name: 'Twitch EventSub',
				value: 'twitch',
				description:
					'Twitch-Eventsub-Message-Signature: hex HMAC of "&lt;id&gt;&lt;time&gt;&lt;body&gt;"; the ID from Twitch-Eventsub-Message-Id',
			},
			{
				name: 'Typeform',
				value: 'typeform',
				description: 'Typeform-Signature: base64 HMAC of the body',
			},
			{
				name: 'WooCommerce',
				value: 'wooCommerce',
				description:
					'X-WC-Webhook-Signature: base64 HMAC of the body; the type from X-WC-Webhook-Topic, the ID from X-WC-Webhook-Delivery-ID',
			},
			{
				name: 'Zoom',
				value: 'zoom',
				description: 'x-zm-signature: hex HMAC of "v0:&lt;time&gt;:&lt;body&gt;"',
			},
		]);
	});

	it('offers them under Verification in alphabetical order, with the credential', () => {
		const [verification] = verificationProperties;
		const names = (verification.options ?? []).map((option) => option.name);
		expect(names).toEqual([...names].sort((one, other) => one.localeCompare(other)));
		expect(names).toEqual(expect.arrayContaining(['GitLab', 'Shopify', 'Stripe Style']));
		expect(SIGNED_SCHEMES).toEqual(expect.arrayContaining(['gitlab', 'shopify', 'token']));
	});

	it('tells where each sender shows its secret, only while that sender is chosen', () => {
		const notices = secretHintNotices('verification');
		const shownFor = notices.map((notice) => notice.displayOptions?.show?.verification);
		expect(shownFor).toEqual([
			['standardWebhooks'],
			['github'],
			['stripe'],
			['shopify'],
			['gitlab'],
			['mux'],
			['discord'],
			['sendgrid'],
			['square'],
			['hubspot'],
			['twilio'],
			['slack'],
			['meta'],
			['paddle'],
			['calendly'],
			['elevenLabs'],
			['linear'],
			['typeform'],
			['intercom'],
			['lemonSqueezy'],
			['wooCommerce'],
			['calCom'],
			['telegram'],
			['zoom'],
			['mailgun'],
			['twitch'],
			['box'],
		]);
		const stripe = notices[2].displayName;
		expect(stripe).toMatch(/Developers › Webhooks/);
		expect(stripe).toMatch(/whsec_<\/code> included/);
	});

	it('says, under each hint of a sender that checks the URL, what the trigger answers that check', () => {
		const hint = (name: string) =>
			secretHintNotices('verification').find(
				(notice) => notice.displayOptions?.show?.verification?.[0] === name,
			)?.displayName;
		expect(hint('slack')).toMatch(
			/<br><br>Slack checks the URL with a signed request whose type is "url_verification": the trigger verifies it like any other, answers 200 <code>\{"challenge": &lt;its challenge&gt;\}<\/code> and starts no execution/,
		);
		expect(hint('discord')).toMatch(/answers 200 <code>\{"type": 1\}<\/code>/);
		expect(hint('zoom')).toMatch(
			/<code>\{"plainToken": &lt;its payload.plainToken&gt;, "encryptedToken": &lt;the hex HMAC of its payload.plainToken with the secret&gt;\}<\/code>/,
		);
		expect(hint('meta')).toMatch(
			/GET \(hub.mode=subscribe\): the trigger answers 200 with hub.challenge as plain text when hub.verify_token equals the Verify Token below, 403 otherwise/,
		);
		expect(hint('slack')).toMatch(
			/Slack also posts an unsigned form with ssl_check=1 to check the URL answers: the trigger answers it 200 with no body and starts nothing\.$/,
		);
		expect(hint('twitch')).toMatch(
			/Twitch EventSub checks the URL with a signed request whose Twitch-Eventsub-Message-Type header is "webhook_callback_verification": the trigger verifies it like any other, answers 200 &lt;its challenge&gt; as plain text and starts no execution/,
		);
		expect(hint('stripe')).not.toMatch(/checks the URL/);
	});
});

const CUSTOM_HMAC_FIELDS = [
	'startFrom',
	'signatureHeader',
	'algorithm',
	'encoding',
	'prefix',
	'timestampHeader',
	'idHeader',
	'secretEncoding',
	'publicUrl',
];

/**
 * The Custom HMAC values n8n resolves for a trigger saved with `saved` (`stored`: what it writes
 * back, only the values that differ from their defaults), as the editor and the runtime read them.
 */
function resolved(saved: INodeParameters, typeVersion = 2) {
	const { description } = new FlowWebhookTrigger();
	const node: INode = {
		id: '1',
		name: 'Trigger',
		type: 'n8n-nodes-flow-webhooks.flowWebhookTrigger',
		typeVersion,
		position: [0, 0],
		parameters: saved,
	};
	const read = (returnDefaults: boolean) =>
		NodeHelpers.getNodeParameters(
			description.properties,
			saved,
			returnDefaults,
			false,
			node,
			description,
		) ?? {};
	const all = read(true);
	const values = Object.fromEntries(
		Object.entries(all).filter(([name]) => CUSTOM_HMAC_FIELDS.includes(name)),
	);
	return { values, stored: read(false) };
}

describe('Custom HMAC started from a preset, in the editor', () => {
	it('resolves a workflow saved before Start From existed to the same values as before', () => {
		const saved = { verification: 'customHmac', signatureHeader: 'X-Sig', encoding: 'base64' };
		expect(resolved(saved)).toEqual({
			values: {
				startFrom: 'none',
				signatureHeader: 'X-Sig',
				algorithm: 'sha256',
				encoding: 'base64',
				prefix: '',
				timestampHeader: '',
				idHeader: '',
				secretEncoding: 'text',
			},
			stored: saved,
		});
		expect(resolved({ verification: 'customHmac' }, 1).values).toEqual({
			signatureHeader: 'x-signature',
			algorithm: 'sha256',
			encoding: 'hex',
			prefix: '',
			timestampHeader: '',
			idHeader: '',
		});
	});

	it('shows each field empty, or on From Preset, while a preset is chosen, and only the fields it has', () => {
		const stripe = resolved({ verification: 'customHmac', startFrom: 'stripe' });
		expect(stripe.values).toEqual({
			startFrom: 'stripe',
			signatureHeader: '',
			algorithm: 'preset',
			encoding: 'preset',
			idHeader: '',
			secretEncoding: 'preset',
		});
		expect(stripe.stored).toEqual({ verification: 'customHmac', startFrom: 'stripe' });
		const slack = resolved({ verification: 'customHmac', startFrom: 'slack' }).values;
		expect(slack).toMatchObject({ prefix: '', timestampHeader: '' });
		expect(resolved({ verification: 'customHmac', startFrom: 'twilio' }).values).toMatchObject({
			publicUrl: '',
		});
	});

	it('keeps a field filled in when the preset changes, and drops one left on its default', () => {
		const saved = { verification: 'customHmac', startFrom: 'slack', signatureHeader: 'X-Fork' };
		expect(resolved(saved).stored).toEqual(saved);
		expect(resolved({ ...saved, startFrom: 'none' }).values).toMatchObject({
			signatureHeader: 'X-Fork',
			algorithm: 'sha256',
		});
	});

	it('offers no Start From on version 1 nodes: one written by hand is dropped, the fields kept', () => {
		const saved = { verification: 'customHmac', startFrom: 'stripe', algorithm: 'sha512' };
		expect(resolved(saved, 1).stored).toEqual({ verification: 'customHmac', algorithm: 'sha512' });
	});

	it('lists what each preset keeps in a notice shown while it is chosen', () => {
		const notice = verificationProperties.find(({ name }) => name === 'stripeStartFromNotice');
		expect(notice?.displayOptions?.show).toMatchObject({
			verification: ['customHmac'],
			startFrom: ['stripe'],
		});
		expect(notice?.displayName).toMatch(/Signature Header: Stripe-Signature/);
		expect(notice?.displayName).toMatch(/Secret Encoding: text/);
		expect(notice?.displayName).toMatch(/Developers › Webhooks/);
	});

	it('leaves Notify without Start From: it signs as before', () => {
		const names = new Notify().description.properties.map(({ name }) => name);
		expect(names).not.toContain('startFrom');
		expect(names.filter((name) => name === 'signatureHeader')).toHaveLength(1);
	});
});
