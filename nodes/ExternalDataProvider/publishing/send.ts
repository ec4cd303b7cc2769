import { randomUUID } from 'node:crypto';

import { NodeOperationError, sleep, type IExecuteFunctions } from 'n8n-workflow';

import {
	PUBLISH_PATH,
	type PublishReceipt,
	type PublishRefusal,
	type PublishRequest,
} from '../../../lib/dataset/publishing/protocol';
import { readPublishAnswer, signedPublishRequest } from '../../../lib/dataset/publishing/send';
import { nodeWebhookUrlUnder, productionWebhookBase } from '../../../lib/n8n/webhookUrl';

import { readPublishSecret } from '../config';

/** What the node's webhook made of a publish, or why it could not be asked. */
export type SendOutcome =
	| { kind: 'receipt'; receipt: PublishReceipt }
	| { kind: 'refused'; status: number; refusal: PublishRefusal }
	| { kind: 'unreachable'; reason: string }
	| { kind: 'noKey'; error: NodeOperationError };

const RETRY_DELAYS_MS = [500, 2000];
const ATTEMPT_TIMEOUT_MS = 15_000;

/**
 * Sends the run's items to the node's own webhook, signed, retrying while n8n is busy or
 * unreachable. Every attempt carries the same publish id, so a retry never publishes twice.
 */
export async function publishThroughWebhook(
	context: IExecuteFunctions,
	request: PublishRequest,
	client: typeof fetch = fetch,
): Promise<SendOutcome> {
	const url = publishUrl(context);
	if (!url) {
		return {
			kind: 'unreachable',
			reason: "n8n's webhook address could not be worked out from this run",
		};
	}
	let secret: string;
	try {
		secret = await readPublishSecret(context, async (type) => await context.getCredentials(type));
	} catch (error) {
		return { kind: 'noKey', error: error as NodeOperationError };
	}
	const publishId = `pub_${randomUUID()}`;
	const cancelSignal = context.getExecutionCancelSignal();
	let reason = '';
	for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
		if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1], cancelSignal);
		const { body, headers } = signedPublishRequest(request, secret, publishId, new Date());
		const timeout = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
		const signal = cancelSignal ? AbortSignal.any([timeout, cancelSignal]) : timeout;
		try {
			// A redirect would resend the signed items elsewhere, or turn the POST into a GET.
			const response = await client(url, {
				method: 'POST',
				headers,
				body,
				signal,
				redirect: 'error',
			});
			const parsed: unknown = await response.json().catch(() => undefined);
			const answer = readPublishAnswer(response.status, parsed);
			if (answer.kind === 'receipt') return answer;
			reason = `${url} answered HTTP ${response.status}`;
			if (answer.kind === 'busy') continue;
			if (answer.kind === 'refused') {
				return { kind: 'refused', status: response.status, refusal: answer.refusal };
			}
			return { kind: 'unreachable', reason };
		} catch (error) {
			if (cancelSignal?.aborted) {
				throw new NodeOperationError(context.getNode(), 'The run was stopped while publishing.');
			}
			reason = `${url} could not be reached (${describe(error)})`;
		}
	}
	return { kind: 'unreachable', reason };
}

/** The publish webhook's URL: under the base set in the node's options, or where n8n serves webhooks. */
function publishUrl(context: IExecuteFunctions): string | undefined {
	const options = context.getNodeParameter('options', 0, {}) as { webhookBaseUrl?: string };
	const base = options.webhookBaseUrl?.trim() || n8nWebhookBase(context);
	if (!base) return undefined;
	return nodeWebhookUrlUnder(base, context.getWorkflow().id ?? '', context.getNode(), PUBLISH_PATH);
}

/** Where n8n serves production webhooks, as the run's resume URL tells. */
function n8nWebhookBase(context: IExecuteFunctions): string | undefined {
	const resumeUrl = context.getWorkflowDataProxy(0).$execution?.resumeUrl;
	return typeof resumeUrl === 'string' ? productionWebhookBase(resumeUrl) : undefined;
}

function describe(error: unknown): string {
	const { name, message, cause } = error as Error & { cause?: { code?: string } };
	if (name === 'TimeoutError') return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
	return cause?.code ?? message;
}
