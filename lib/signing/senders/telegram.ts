import type { TokenProfile } from '../profile';

/** Telegram Bot API signs nothing: it sends the webhook's secret_token as it is. */
export const telegram: TokenProfile = {
	kind: 'token',
	label: 'Telegram Bot',
	idField: 'update_id',
	secretHint:
		'Type the same value as the <code>secret_token</code> you passed to <b>setWebhook</b> (1–256 letters, digits, _ or -). Telegram sends it in X-Telegram-Bot-Api-Secret-Token.',
	header: 'X-Telegram-Bot-Api-Secret-Token',
};
