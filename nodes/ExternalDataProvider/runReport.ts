import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import {
	formatSize,
	tooDeepMessage,
	tooLargeMessage,
	type PublishOutcome,
} from '../../lib/dataset/publish';
import type { PublishReceipt } from '../../lib/dataset/publishing/protocol';

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
 * Fails the run with the error, or with Continue On Fail returns it as the node's one output item
 * instead.
 */
export function errorOutputOrThrow(
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
