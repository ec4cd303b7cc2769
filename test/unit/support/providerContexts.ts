import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	NodeExecutionHint,
} from 'n8n-workflow';

import { PUBLISH_KEY_CREDENTIAL } from '../../../nodes/ExternalDataProvider/publishing/protocol';

export const INSTANCE_ID = 'instance-under-test';

/** The publish key of the node's Data Provider Publish Key credential, unless a test gives another. */
export const PUBLISH_KEY = 'example-publish-key-under-test-0123456789';

const NODE = {
	id: 'node-under-test',
	webhookId: 'generated-webhook-id',
	name: 'External Data Provider',
	type: 'n8n-nodes-flow-webhooks.externalDataProvider',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface RecordedResponse {
	status?: number;
	headers: Record<string, string>;
	body?: unknown;
	/** How the body was written: `send` for text, `json` for objects. */
	writtenWith?: 'end' | 'json' | 'send';
}

/** The slice of n8n's webhook context the provider uses, recording what it writes. */
export function fakeWebhookContext(options: {
	parameters?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	headers?: Record<string, string>;
	query?: Record<string, unknown>;
	staticData?: IDataObject;
	/** Headers n8n has already set before the node runs (its own CORS handling). */
	presetHeaders?: Record<string, string>;
	/** The client address n8n resolved (`req.ip`); 127.0.0.1 unless given. */
	ip?: string;
	/** The same id means the same node across requests (default: one shared node). */
	nodeId?: string;
	/** Which of the node's webhooks was called: "default" (GET) unless given. */
	webhookName?: string;
	method?: string;
	rawBody?: Buffer;
	/** The node's publish key; null when the node has no publish key credential. */
	publishKey?: string | null;
}) {
	const response: RecordedResponse = { headers: { ...options.presetHeaders } };
	const responseObject = {
		setHeader: (name: string, value: string) => {
			response.headers[name] = value;
		},
		removeHeader: (name: string) => {
			delete response.headers[name];
		},
		status: (code: number) => {
			response.status = code;
			return responseObject;
		},
		json: (body: unknown) => Object.assign(response, { body, writtenWith: 'json' }),
		send: (body: unknown) => Object.assign(response, { body, writtenWith: 'send' }),
		end: () => Object.assign(response, { writtenWith: 'end' }),
	};
	const staticData = options.staticData ?? {};
	const logged: string[] = [];
	const lines: Array<{ level: string; message: string }> = [];
	const log = (level: string) => (message: string) => {
		lines.push({ level, message });
		if (level === 'error') logged.push(message);
	};
	const parameters = options.parameters ?? {};
	const context = {
		getRequestObject: () => ({
			headers: options.headers ?? {},
			query: options.query ?? {},
			method: options.method ?? 'GET',
			ip: options.ip ?? '127.0.0.1',
			rawBody: options.rawBody,
		}),
		getResponseObject: () => responseObject,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getCredentials: async (name: string) =>
			name === PUBLISH_KEY_CREDENTIAL
				? publishKeyCredential(options.publishKey)
				: (options.credentials ?? noCredential(name)),
		getWorkflowStaticData: () => staticData,
		getNode: () => ({ ...NODE, id: options.nodeId ?? NODE.id }),
		getWorkflow: () => ({ id: 'workflow-1', active: true }),
		getWebhookName: () => options.webhookName ?? 'default',
		getInstanceId: () => INSTANCE_ID,
		getMode: () => 'webhook',
		logger: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') },
	};
	return { context: context as unknown as IWebhookFunctions, response, staticData, logged, lines };
}

/** The slice of n8n's execute context the provider uses, recording its execution hints. */
export function fakeExecuteContext(options: {
	items: INodeExecutionData[];
	parameters?: Record<string, unknown>;
	staticData?: IDataObject;
	mode?: string;
	continueOnFail?: boolean;
	/** `$execution.resumeUrl` of the run: where n8n's webhooks are. */
	resumeUrl?: string;
	/** Node types upstream of the provider (default: a Schedule Trigger). */
	parentTypes?: string[];
	/** The node's publish key; null when the node has no publish key credential. */
	publishKey?: string | null;
}) {
	const staticData = options.staticData ?? {};
	const hints: NodeExecutionHint[] = [];
	const parameters: Record<string, unknown> = {
		publishMode: 'replace',
		options: {},
		...options.parameters,
	};
	const context = {
		getInputData: () => options.items,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getWorkflowStaticData: () => staticData,
		getMode: () => options.mode ?? 'webhook',
		getNode: () => NODE,
		// Queue-mode workers report every workflow as not published; the node must not rely on it.
		getWorkflow: () => ({ id: 'workflow-1', active: false }),
		getInstanceId: () => INSTANCE_ID,
		getCredentials: async (name: string) =>
			name === PUBLISH_KEY_CREDENTIAL
				? publishKeyCredential(options.publishKey)
				: noCredential(name),
		getExecutionCancelSignal: () => undefined,
		getWorkflowDataProxy: () => ({
			$execution: { resumeUrl: options.resumeUrl ?? 'http://localhost:5678/webhook-waiting/17' },
		}),
		continueOnFail: () => options.continueOnFail ?? false,
		getParentNodes: () =>
			(options.parentTypes ?? ['n8n-nodes-base.scheduleTrigger']).map((type, index) => ({
				name: `Parent ${index}`,
				type,
				typeVersion: 1,
			})),
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
	};
	return { context: context as unknown as IExecuteFunctions, staticData, hints };
}

function publishKeyCredential(publishKey: string | null = PUBLISH_KEY) {
	return publishKey === null ? noCredential(PUBLISH_KEY_CREDENTIAL) : { secret: publishKey };
}

// What n8n throws when a node has no credential of the type.
function noCredential(name: string): never {
	throw new Error(`Node does not have any credentials set for "${name}"`);
}
