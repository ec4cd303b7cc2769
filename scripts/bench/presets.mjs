// Triggers set to named sender presets, for the rejection rows that show what a preset costs next
// to the default scheme: forgeries shaped exactly as each sender's deliveries (its headers, its
// example payload), signed with a secret or key that is not the one the trigger holds.
import { triggerWorkflow, workflowId } from '../../test/e2e/fixtures.mjs';
import {
	discordDelivery,
	publicKeySender,
	SECRETS,
	slackDelivery,
} from '../../test/senders/deliveries.mjs';

// Discord signs with its app's private key: the trigger holds the app's public key, a forger signs
// with a key pair of its own.
const discordApp = publicKeySender('discord');
const forgerApp = publicKeySender('discord');

const credential = (sender, secret) => ({
	id: workflowId(`benchcred${sender}`),
	name: `Bench ${sender} secret`,
	type: 'webhookSigningSecretApi',
	data: { secret },
});

/** Each preset row: the trigger's verification setting, its credential and a forged delivery. */
const PRESETS = {
	slack: {
		credential: credential('slack', SECRETS.slack),
		forged: () => slackDelivery({ secret: 'a forger guessing the signing secret' }),
	},
	discord: {
		credential: credential('discord', discordApp.publicKey),
		forged: () => discordDelivery(forgerApp),
	},
};

export const presetCredentials = Object.values(PRESETS).map(({ credential }) => credential);

export const presetPath = (sender) => `bench-trigger-${sender}`;
export const presetWorkflowId = (sender) => workflowId(`benchtrigger${sender}`);

export const presetWorkflows = () =>
	Object.entries(PRESETS).map(([sender, { credential }]) =>
		triggerWorkflow({
			id: presetWorkflowId(sender),
			path: presetPath(sender),
			parameters: { verification: sender },
			credential,
		}),
	);

/** `count` forged deliveries as the sender sends them. */
export const forgedPresetRequests = (sender, count) =>
	Array.from({ length: count }, () => PRESETS[sender].forged());
