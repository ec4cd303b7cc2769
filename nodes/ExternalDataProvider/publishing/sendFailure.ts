import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import {
	DATASET_TOO_LARGE,
	PUBLISH_KEY_CHANGED,
	type PublishRefusal,
} from '../../../lib/dataset/publishing/protocol';

import { tooLargeError } from '../runReport';
import type { SendOutcome } from './send';

/**
 * The error for a publish the node's webhook refused or that could not reach it. Nothing was
 * published, and nothing is published within the run instead: on a queue-mode worker that would
 * replace the workflow's stored static data.
 */
export function sendFailureError(
	context: IExecuteFunctions,
	outcome: Exclude<SendOutcome, { kind: 'receipt' }>,
): NodeOperationError {
	if (outcome.kind === 'noKey') return outcome.error;
	if (outcome.kind === 'unreachable') {
		// The reason goes in the description: n8n replaces messages that name a network error code.
		return new NodeOperationError(
			context.getNode(),
			"Could not publish through this node's webhook",
			{
				description: `${outcome.reason}. A run that does not hold the published data (as in queue mode, where workers start runs without it) publishes through the node's webhook. Set Options › Webhook Base URL to an address of n8n's production webhooks that this n8n process can reach, for example http://localhost:5678/webhook, or make WEBHOOK_URL reachable from it. The data published before stays.`,
			},
		);
	}
	const { status, refusal } = outcome;
	const { error, message, bytes, maxBytes, version } = refusal;
	if (error === DATASET_TOO_LARGE && bytes !== undefined && maxBytes !== undefined) {
		return tooLargeError(context, { bytes, maxBytes, version });
	}
	return new NodeOperationError(
		context.getNode(),
		`This node's webhook refused the publish (HTTP ${status}, ${error})`,
		{ description: `${message} ${refusalAdvice(refusal)}` },
	);
}

function refusalAdvice({ error }: PublishRefusal): string {
	if (error === 'signature_mismatch')
		return 'The webhook address reached belongs to another n8n installation or workflow; check Options › Webhook Base URL and WEBHOOK_URL.';
	if (error === PUBLISH_KEY_CHANGED)
		return "The data published before stays. If the node's Data Provider Publish Key credential was just changed, run the workflow again (or turn on the node setting Retry On Fail with at least 5 s between tries): the next try signs with the new key. Otherwise the address reached belongs to another workflow or n8n installation; check Options › Webhook Base URL and WEBHOOK_URL.";
	return 'Nothing was published; the data published before stays.';
}
