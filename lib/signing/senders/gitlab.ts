import type { TokenProfile } from '../profile';

/** GitLab signs nothing: it sends the webhook's secret token as it is. */
export const gitlab: TokenProfile = {
	kind: 'token',
	label: 'GitLab',
	secretHint:
		"Type the same value as the <b>Secret token</b> of the webhook (the project's or group's <b>Settings › Webhooks</b>). GitLab sends it in X-Gitlab-Token.",
	header: 'X-Gitlab-Token',
	typeHeaders: ['X-Gitlab-Event'],
	idHeaders: ['X-Gitlab-Event-UUID'],
};
