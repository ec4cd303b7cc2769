import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import {
	formatSize,
	tooDeepMessage,
	tooLargeMessage,
	type PublishOutcome,
} from '../../lib/dataset/publish';
import type { PublishReceipt } from '../../lib/dataset/publishChannel';

import type { Refusal, RouteOutcome } from './publishRoute';

export function addPublishedHint(context: IExecuteFunctions, receipt: PublishReceipt): void {
	context.addExecutionHints({
		type: 'info',
		location: 'outputPane',
		message: publishedMessage(receipt),
	});
}

/**
 * Warns when a Flow Webhook Trigger starts the provider's workflow: the trigger saves the ids of
 * stored runs moments after n8n answered, while this run publishes, and both saves rewrite the
 * whole of the workflow's static data, so either can undo the other.
 */
export function addPlacementHint(context: IExecuteFunctions): void {
	const parents = context.getParentNodes(context.getNode().name);
	if (!parents.some(({ type }) => type.endsWith(`.${FLOW_WEBHOOK_TRIGGER}`))) return;
	context.addExecutionHints({
		type: 'warning',
		location: 'outputPane',
		message:
			"A Flow Webhook Trigger starts this workflow: its saves and this node's publishes share the workflow's static data and can overwrite each other. Move this node into a workflow of its own and call it with an Execute Workflow node.",
	});
}

/** The Flow Webhook Trigger's node name, without its package prefix. */
const FLOW_WEBHOOK_TRIGGER = 'flowWebhookTrigger';

function publishedMessage({ outcome, version, total, bytes, repeated }: PublishReceipt): string {
	if (repeated) return `This publish had already arrived; version ${version} is published.`;
	if (outcome === 'unchanged')
		return `The data is unchanged, so version ${version} stays published.`;
	return `Published ${itemCount(total)} (${formatSize(bytes)}) as version ${version}.`;
}

type Computed = Extract<PublishOutcome, { dataset: unknown }>;

export function manualRunMessage({ dataset, bytes }: Computed): string {
	return `Nothing was published: n8n keeps no data from manual runs. Runs of the published workflow publish; this one would have published ${itemCount(dataset.total)} (${formatSize(bytes)}).`;
}

/** `version` is the one that stays published, where the run knows it. */
export function tooLargeError(
	context: IExecuteFunctions,
	{ bytes, maxBytes, version }: { bytes: number; maxBytes: number; version?: number },
): NodeOperationError {
	const stays = version === undefined ? '' : ` (version ${version})`;
	return new NodeOperationError(context.getNode(), tooLargeMessage(bytes, maxBytes), {
		description: `GET requests keep getting the data published before${stays}. Send fewer or smaller items to this node, or raise Max Dataset Size in its options.`,
	});
}

export function tooDeepError(context: IExecuteFunctions, maxDepth: number): NodeOperationError {
	return new NodeOperationError(context.getNode(), tooDeepMessage(maxDepth), {
		description:
			'GET requests keep getting the data published before. Flatten the items sent to this node, for example by turning deep parts into JSON text.',
	});
}

/**
 * The error for a publish the node's webhook refused or that could not reach it. Nothing was
 * published, and nothing is published within the run instead: on a queue-mode worker that would
 * replace the workflow's stored static data.
 */
export function routeError(
	context: IExecuteFunctions,
	outcome: Exclude<RouteOutcome, { kind: 'receipt' }>,
): NodeOperationError {
	if (outcome.kind === 'noKey') {
		return new NodeOperationError(context.getNode(), outcome.problem, {
			description:
				"A run that does not hold the published data (queue-mode workers, the first publish) publishes through the node's webhook, signed with a key from the node's Data Provider Publish Key credential, so that nobody who can merely read the workflow can publish. Choose or create one in the node's Credential to connect with; one key can serve all providers. Nothing was published.",
		});
	}
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
	if (error === 'dataset_too_large' && bytes !== undefined && maxBytes !== undefined) {
		return tooLargeError(context, { bytes, maxBytes, version });
	}
	return new NodeOperationError(
		context.getNode(),
		`This node's webhook refused the publish (HTTP ${status}, ${error})`,
		{ description: `${message} ${refusalAdvice(refusal)}` },
	);
}

function refusalAdvice({ error }: Refusal): string {
	if (error === 'signature_mismatch')
		return 'The webhook address reached belongs to another n8n installation or workflow; check Options › Webhook Base URL and WEBHOOK_URL.';
	if (error === 'publish_key_changed')
		return "The data published before stays. If the node's Data Provider Publish Key credential was just changed, run the workflow again (or turn on the node setting Retry On Fail with at least 5 s between tries): the next try signs with the new key. Otherwise the address reached belongs to another workflow or n8n installation; check Options › Webhook Base URL and WEBHOOK_URL.";
	return 'Nothing was published; the data published before stays.';
}

/** Throws the error, or with Continue On Fail returns it as the node's one output item. */
export function failPublish(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	error: NodeOperationError,
): INodeExecutionData[][] {
	if (!context.continueOnFail()) throw error;
	return [
		[{ json: { error: error.message }, pairedItem: items.map((_, index) => ({ item: index })) }],
	];
}

function itemCount(total: number): string {
	return total === 1 ? '1 item' : `${total} items`;
}
