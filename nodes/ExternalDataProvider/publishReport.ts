import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { formatSize, tooLargeMessage, type PublishOutcome } from '../../lib/dataset/publish';
import type { PublishReceipt } from '../../lib/dataset/publishChannel';

import type { Refusal, RouteOutcome } from './publishRoute';

export function addPublishedHint(context: IExecuteFunctions, receipt: PublishReceipt): void {
	context.addExecutionHints({
		type: 'info',
		location: 'outputPane',
		message: publishedMessage(receipt),
	});
}

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

/**
 * Shown when the run published the data itself because its webhook could not be reached. Right in
 * a single n8n process; on a queue-mode worker the run lacked the stored data and replaces it.
 */
export function unreachableMessage(reason: string): string {
	return `Published within this run, because this node's webhook could not be reached: ${reason}. If n8n runs in queue mode, the run started without the stored data and its save replaces it: Append starts over and data other nodes keep is lost. Set Options › Webhook Base URL to an address of n8n's webhooks that this run can reach (see "Running at scale" in the README).`;
}

export function tooLargeError(
	context: IExecuteFunctions,
	{ bytes, maxBytes, version }: { bytes: number; maxBytes: number; version: number },
): NodeOperationError {
	return new NodeOperationError(context.getNode(), tooLargeMessage(bytes, maxBytes), {
		description: `GET requests keep getting the data published before (version ${version}). Send fewer or smaller items to this node, or raise Max Dataset Size in its options.`,
	});
}

/** The error for a publish the node's webhook refused. */
export function refusalError(
	context: IExecuteFunctions,
	{ status, refusal }: Extract<RouteOutcome, { kind: 'refused' }>,
): NodeOperationError {
	const { error, message, bytes, maxBytes, version } = refusal;
	if (error === 'dataset_too_large' && bytes !== undefined && maxBytes !== undefined) {
		return tooLargeError(context, { bytes, maxBytes, version: version ?? 0 });
	}
	return new NodeOperationError(
		context.getNode(),
		`This node's webhook refused the publish (HTTP ${status}, ${error})`,
		{ description: `${message} ${refusalAdvice(refusal)}` },
	);
}

function refusalAdvice({ error }: Refusal): string {
	return error === 'signature_mismatch'
		? 'The webhook address reached belongs to another n8n installation or workflow; check Options › Webhook Base URL and WEBHOOK_URL.'
		: 'Nothing was published; the data published before stays.';
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

export function itemCount(total: number): string {
	return total === 1 ? '1 item' : `${total} items`;
}
