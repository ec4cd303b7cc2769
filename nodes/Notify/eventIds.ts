import { randomUUID } from 'node:crypto';

import type { IExecuteFunctions, IRunExecutionData, ITaskData, ITaskMetadata } from 'n8n-workflow';

import { executionEventIdSeed } from '../../lib/delivery/eventId';

const EVENT_ID_SEED = 'notifyEventIdSeed';

/** Where n8n's resume URL carries the execution's resume token (`WAITING_TOKEN_QUERY_PARAM`). */
const RESUME_TOKEN_PARAMETER = 'signature';

/**
 * The token n8n stores with the execution when it creates it: kept by its crash recovery, copied
 * into every retry. Undefined on n8n versions without one.
 */
function resumeToken(resumeUrl: unknown): string | undefined {
	if (typeof resumeUrl !== 'string' || resumeUrl === '') return undefined;
	return new URL(resumeUrl).searchParams.get(RESUME_TOKEN_PARAMETER) || undefined;
}

/** Whether n8n's crash recovery wrote this run entry: it marks started nodes crashed or finished with a placeholder item. */
function writtenByRecovery(task: ITaskData): boolean {
	const placeholder = task.data?.main?.[0]?.[0]?.json?.isArtificialRecoveredEventItem === true;
	return task.executionStatus === 'crashed' || placeholder;
}

/**
 * How many times this node ran before in the execution, not counting the entries n8n's crash
 * recovery left in a retried execution: the same number in the run and in any retry of it.
 */
async function occurrence(context: IExecuteFunctions, runIndex: number): Promise<number> {
	if (runIndex === 0 || context.getMode() !== 'retry') return runIndex;
	const executionId = context.getExecutionId();
	const stored: IRunExecutionData | undefined = await context.getExecutionDataById?.(executionId);
	const earlier = stored?.resultData.runData[context.getNode().name] ?? [];
	return runIndex - earlier.slice(0, runIndex).filter(writtenByRecovery).length;
}

/**
 * The seed of this run's default event ids. One kept in the node's metadata wins: an execution
 * that failed before ids came from the execution's token is retried with the ids it had. Without
 * a token (n8n 1.x), a random seed is kept in that metadata, which n8n hands back only when it
 * retries a failed execution.
 */
export async function eventIdSeed(context: IExecuteFunctions): Promise<string> {
	const metadata = context.getExecuteData?.()?.metadata as Record<string, unknown> | undefined;
	const kept = metadata?.[EVENT_ID_SEED];
	if (typeof kept === 'string' && kept !== '') return kept;
	const { $execution, $runIndex } = context.getWorkflowDataProxy(0);
	const token = resumeToken(($execution as { resumeUrl?: unknown } | undefined)?.resumeUrl);
	if (token) {
		const nodeId = context.getNode().id;
		return executionEventIdSeed(token, nodeId, await occurrence(context, Number($runIndex ?? 0)));
	}
	const seed = randomUUID();
	context.setMetadata?.({ [EVENT_ID_SEED]: seed } as ITaskMetadata);
	return seed;
}
