import { randomBytes } from 'node:crypto';

import {
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRunData,
	type IWebhookFunctions,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { PUBLISH_KEY_CREDENTIAL } from '../../../nodes/ExternalDataProvider/publishing/protocol';
import { eventKey, fromStored } from '../../../lib/store/eventKeys';

export const INSTANCE_ID = 'instance-under-test';

/**
 * Which of `ids` a trigger's static data remembers, in the order it remembers them (oldest first),
 * whatever form they are stored in: the record holds their keys only (`eventKey`).
 */
export function savedEventIds(staticData: IDataObject, ids: string[]): string[] {
	const byKey = new Map(ids.map((id) => [eventKey(id), id]));
	const saved = [...fromStored(staticData).keys()];
	return saved.flatMap((key) => byKey.get(key) ?? `<another id: ${key}>`);
}
export const WORKFLOW_ID = 'workflow-1';

/** The publish key of the node's Data Provider Publish Key credential, unless a test gives another. */
export const PUBLISH_KEY = 'example-publish-key-under-test-0123456789';

/** A parameter value; a function stands for an expression n8n evaluates per item, an Error for one that fails. */
export type Parameter = unknown;

export interface FakeRequest {
	headers?: Record<string, string>;
	rawBody?: Buffer;
	/** When set, rawBody is only filled once the node calls readRawBody(). */
	lazyBody?: Buffer;
	query?: Record<string, unknown>;
	/** The webhook's own HTTP method unless given. */
	method?: string;
	/** The client address n8n resolved (`req.ip`); 127.0.0.1 unless given. */
	ip?: string;
	/**
	 * Where the request was received, as Express tells it after n8n's trusted proxies:
	 * `http://localhost:5678/webhook/path` unless given; an empty host stands for none.
	 */
	protocol?: string;
	host?: string;
	originalUrl?: string;
}

interface LogLine {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	metadata?: unknown;
}

interface RecordedResponse {
	status?: number;
	/** Header names in lower case, as Node.js keeps them. */
	headers: Record<string, string>;
	body?: unknown;
	ended: boolean;
	/** How the body was written: `send` for text, `json` for objects. */
	writtenWith?: 'end' | 'json' | 'send';
}

interface NodeOptions {
	/** The node's parameters as saved; what they leave out comes from the node's description. */
	parameters?: Record<string, Parameter>;
	/** The node's own credential (signing secret or access tokens); none unless given. */
	credentials?: ICredentialDataDecryptedObject;
	/** The id n8n gives the node's credentials, which the credential cache keys on (with the type). */
	credentialId?: string;
	/** The node's publish key; null when the node has no publish key credential. */
	publishKey?: string | null;
	staticData?: IDataObject;
	mode?: string;
	/** The same id means the same node across contexts (default: a new node each time). */
	nodeId?: string;
	/** The node's On Error setting. */
	onError?: INode['onError'];
	/** The node's version (default: 1). */
	typeVersion?: number;
}

export type WebhookOptions = NodeOptions & {
	request?: FakeRequest;
	/** Which of the node's webhooks the request reached (default: "default"). */
	webhookName?: string;
	/** Headers n8n has already set before the node runs (its own CORS handling). */
	presetHeaders?: Record<string, string>;
	/**
	 * Where n8n serves production webhooks (`<WEBHOOK_URL>webhook`), which getNodeWebhookUrl
	 * builds on; none unless given.
	 */
	n8nWebhookBaseUrl?: string;
};

export type ExecuteOptions = NodeOptions & {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	cancelSignal?: AbortSignal;
	/** The node's execution metadata, which n8n keeps with a failed execution and hands to its retry. */
	metadata?: Record<string, unknown>;
	/** `$execution.resumeUrl` of the run, without its token: where n8n's webhooks are. */
	resumeUrl?: string;
	/**
	 * The token n8n 2.x stores with an execution and copies into its retries, which the resume URL
	 * carries (default: a new one, as for a new execution); null for an n8n without one (1.x).
	 */
	resumeToken?: string | null;
	/** How many times the node ran before in the execution (`$runIndex`, default 0). */
	runIndex?: number;
	/** The run data n8n has stored for the execution, as `getExecutionDataById` reads it. */
	storedRunData?: IRunData;
	/** Node types upstream of the node (default: a Schedule Trigger). */
	parentTypes?: string[];
	executionId?: string;
	workflowName?: string;
	/** The slice of n8n's helpers the node calls (its HTTP request, its outbound policy). */
	helpers?: Partial<Record<keyof IExecuteFunctions['helpers'], unknown>>;
	/** Stands in for n8n's expression engine: what each parameter evaluates to (default: its value). */
	evaluate?: (name: string, itemIndex: number) => unknown;
};

/** The slice of n8n's webhook context the nodes use, recording the response and the log. */
export function webhookContext(nodeType: INodeType, options: WebhookOptions = {}) {
	const webhookName = options.webhookName ?? 'default';
	const common = nodeContext(nodeType, options);
	const given = options.request ?? {};
	const request = {
		headers: given.headers ?? {},
		rawBody: given.rawBody,
		query: given.query ?? {},
		method: given.method ?? webhookMethod(nodeType, webhookName),
		ip: given.ip ?? '127.0.0.1',
		protocol: given.protocol ?? 'http',
		host: given.host ?? 'localhost:5678',
		originalUrl: given.originalUrl ?? '/webhook/path',
		readRawBody: async () => {
			request.rawBody = given.lazyBody;
		},
	};
	const exchange = fakeResponse(options.presetHeaders);
	const context = n8nContext<IWebhookFunctions>('webhook', {
		...common.members,
		getNodeParameter: (name: string, fallback?: unknown) => common.parameter(name, 0, fallback),
		getRequestObject: () => request,
		getResponseObject: () => exchange.responseObject,
		getWebhookName: () => webhookName,
		getWorkflow: () => ({ id: WORKFLOW_ID, active: true }),
		// Without a webhook base URL, a node that would call its own webhook has nowhere to send to.
		getNodeWebhookUrl: (name: string) =>
			options.n8nWebhookBaseUrl === undefined
				? undefined
				: nodeWebhookUrl(nodeType, common.members.getNode(), name, options.n8nWebhookBaseUrl),
	});
	return {
		context,
		request,
		response: exchange.response,
		finishExchange: exchange.finishExchange,
		staticData: common.staticData,
		lines: common.lines,
		logged: common.logged,
		credentialReads: common.credentialReads,
	};
}

/** The URL n8n gives the node's webhook `name` under `baseUrl`, as its getNodeWebhookUrl builds it. */
function nodeWebhookUrl(
	nodeType: INodeType,
	node: INode,
	name: string,
	baseUrl: string,
): string | undefined {
	const webhook = nodeType.description.webhooks?.find((entry) => entry.name === name);
	if (typeof webhook?.path !== 'string') return undefined;
	const isFullPath = webhook.isFullPath === true;
	return NodeHelpers.getNodeWebhookUrl(baseUrl, WORKFLOW_ID, node, webhook.path, isFullPath);
}

/** `$execution.resumeUrl` as n8n gives it: the execution's resume token in its `signature`. */
function resumeUrl({ resumeUrl: base, resumeToken }: ExecuteOptions): string {
	const url = new URL(base ?? 'http://localhost:5678/webhook-waiting/17');
	const token = resumeToken === undefined ? randomBytes(32).toString('hex') : resumeToken;
	if (token !== null) url.searchParams.set('signature', token);
	return url.toString();
}

/** The slice of n8n's execute context the nodes use, recording execution hints and the log. */
export function executeContext(nodeType: INodeType, options: ExecuteOptions = {}) {
	const common = nodeContext(nodeType, options);
	const items = options.items ?? [{ json: {} }];
	const metadata = options.metadata ?? {};
	const hints: NodeExecutionHint[] = [];
	const context = n8nContext<IExecuteFunctions>('execute', {
		...common.members,
		getNodeParameter: (
			name: string,
			itemIndex: number,
			fallback?: unknown,
			parameterOptions?: { ensureType?: string },
		) => {
			const value = options.evaluate
				? options.evaluate(name, itemIndex)
				: common.parameter(name, itemIndex, fallback);
			return parameterOptions?.ensureType === 'json' && typeof value === 'string'
				? JSON.parse(value)
				: value;
		},
		getInputData: () => items,
		// As in n8n, either "continue" setting of On Error makes the node continue on fail.
		continueOnFail: () =>
			options.continueOnFail ?? options.onError?.startsWith('continue') ?? false,
		getExecutionCancelSignal: () => options.cancelSignal,
		getExecuteData: () => ({ metadata }),
		setMetadata: (added: Record<string, unknown>) => Object.assign(metadata, added),
		getExecutionId: () => options.executionId ?? 'execution-1',
		// Queue-mode workers report every workflow as not published; the node must not rely on it.
		getWorkflow: () => ({
			id: WORKFLOW_ID,
			name: options.workflowName ?? 'Workflow',
			active: false,
		}),
		getWorkflowDataProxy: () => ({
			$execution: { resumeUrl: resumeUrl(options) },
			$runIndex: options.runIndex ?? 0,
		}),
		getExecutionDataById: async () => ({ resultData: { runData: options.storedRunData ?? {} } }),
		getParentNodes: () =>
			(options.parentTypes ?? ['n8n-nodes-base.scheduleTrigger']).map((type, index) => ({
				name: `Parent ${index}`,
				type,
				typeVersion: 1,
			})),
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		helpers: options.helpers ?? {},
	});
	return { context, hints, staticData: common.staticData, lines: common.lines };
}

/** n8n's context for a credential's test function: the tests of this package read only the credential. */
export function credentialTestContext(): ICredentialTestFunctions {
	return n8nContext<ICredentialTestFunctions>('credential test', {});
}

/** What one request does: reach the webhook, fail to connect, answer a status without running it, or run it and lose the answer. */
type Delivery = 'reach' | 'refuseConnection' | number | 'loseAnswer';

/**
 * Stands in for an n8n webhook process: `client`, used in place of fetch, runs the node's webhook
 * `webhookName` for each POST over `stored`, the node's static data as the database holds it.
 * `deliveries` scripts the requests in order; once it runs out, every request reaches the webhook.
 */
export function webhookProcess(
	nodeType: INodeType,
	webhookName: string,
	options: {
		stored?: IDataObject;
		/** The publish key the webhook process reads from the node's credential. */
		publishKey?: string;
		deliveries?: Delivery[];
		/** The node's parameters as the webhook reads them. */
		parameters?: Record<string, Parameter>;
		/** The node whose webhook this is. */
		nodeId?: string;
		/** The node's own credential as the webhook process reads it (a trigger's signing secret). */
		credentials?: ICredentialDataDecryptedObject;
	} = {},
) {
	const stored = options.stored ?? {};
	const deliveries = [...(options.deliveries ?? [])];
	const requests: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
	const client: typeof fetch = async (input, init) => {
		const request = {
			url: String(input),
			headers: headerRecord(init?.headers),
			body: String(init?.body),
		};
		requests.push(request);
		const delivery = deliveries.shift() ?? 'reach';
		if (delivery === 'refuseConnection') {
			throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
		}
		if (typeof delivery === 'number') return new Response('{}', { status: delivery });
		const { context, response } = webhookContext(nodeType, {
			webhookName,
			request: { method: 'POST', headers: request.headers, rawBody: Buffer.from(request.body) },
			staticData: stored,
			publishKey: options.publishKey,
			parameters: options.parameters,
			nodeId: options.nodeId,
			credentials: options.credentials,
		});
		const result = await nodeType.webhook!.call(context);
		if (delivery === 'loseAnswer')
			throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
		if (result.webhookResponse !== undefined) {
			return new Response(JSON.stringify(result.webhookResponse), { status: 200 });
		}
		return new Response(JSON.stringify(response.body), { status: response.status });
	};
	return { stored, requests, client };
}

/** Members both kinds of context share: the node, its parameters with their defaults, credentials, log. */
function nodeContext(nodeType: INodeType, options: NodeOptions) {
	const given = options.parameters ?? {};
	const description = nodeType.description;
	const node: INode = {
		id: options.nodeId ?? `node-${Math.random()}`,
		webhookId: 'generated-webhook-id',
		name: description.displayName,
		type: `n8n-nodes-flow-webhooks.${description.name}`,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: {},
		onError: options.onError,
		credentials: options.credentialId
			? Object.fromEntries(
					(description.credentials ?? []).map(({ name }) => [
						name,
						{ id: options.credentialId ?? '', name: 'Credential' },
					]),
				)
			: undefined,
	};
	node.parameters = withDefaults(nodeType, node, given);
	const staticData = options.staticData ?? {};
	const lines: LogLine[] = [];
	const logged: string[] = [];
	const credentialReads: string[] = [];
	const log = (level: LogLine['level']) => (message: string, metadata?: unknown) => {
		lines.push({ level, message, metadata });
		if (level === 'error' || level === 'warn') logged.push(message);
	};
	const parameter = (name: string, itemIndex: number, fallback?: unknown): unknown => {
		const raw =
			name in given && isPerItem(given[name]) ? given[name] : pathValue(node.parameters, name);
		const value = typeof raw === 'function' ? raw(itemIndex) : raw;
		if (value instanceof Error) throw value;
		return value === undefined ? fallback : value;
	};
	const members = {
		getNode: () => node,
		getMode: () => options.mode ?? 'webhook',
		getInstanceId: () => INSTANCE_ID,
		getWorkflowStaticData: () => staticData,
		getCredentials: async (type: string) => {
			credentialReads.push(type);
			if (type === PUBLISH_KEY_CREDENTIAL) return publishKeyCredential(options.publishKey);
			return options.credentials ?? noCredential(type);
		},
		logger: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') },
	};
	return { members, parameter, staticData, lines, logged, credentialReads };
}

/**
 * The parameters as n8n's Workflow holds them: every value the description displays, defaults
 * filled in. A name may be a path ("destinations.destination"); a per-item value stands in as an
 * expression, so the node sees a parameter that is not at its default.
 */
function withDefaults(
	nodeType: INodeType,
	node: INode,
	given: Record<string, Parameter>,
): INodeParameters {
	const literal: INodeParameters = {};
	for (const [path, value] of Object.entries(given)) {
		if (isPerItem(value) && path.includes('.')) continue;
		setPath(literal, path, isPerItem(value) ? '={{ "evaluated per item by the test" }}' : value);
	}
	const description = nodeType.description;
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			literal,
			true,
			false,
			node,
			description,
		) ?? {}
	);
}

function setPath(parameters: INodeParameters, path: string, value: unknown): void {
	const keys = path.split('.');
	let target: Record<string, unknown> = parameters;
	for (const key of keys.slice(0, -1)) {
		target[key] = { ...(target[key] as object) };
		target = target[key] as Record<string, unknown>;
	}
	target[keys[keys.length - 1]] = value;
}

const isPerItem = (value: Parameter): value is ((itemIndex: number) => unknown) | Error =>
	typeof value === 'function' || value instanceof Error;

function pathValue(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function webhookMethod(nodeType: INodeType, webhookName: string): string {
	const webhook = nodeType.description.webhooks?.find((entry) => entry.name === webhookName);
	return typeof webhook?.httpMethod === 'string' ? webhook.httpMethod : 'POST';
}

/** A response object as Express hands it to webhook(), recording what the node writes. */
function fakeResponse(presetHeaders: Record<string, string> = {}) {
	const response: RecordedResponse = {
		headers: Object.fromEntries(
			Object.entries(presetHeaders).map(([name, value]) => [name.toLowerCase(), value]),
		),
		ended: false,
	};
	const closeListeners: Array<() => void> = [];
	// An answer the node writes itself is handed over at once, as Express does for small bodies.
	const written = (writtenWith: RecordedResponse['writtenWith'], body?: unknown) => {
		if (writtenWith !== 'end') response.body = body;
		response.writtenWith = writtenWith;
		response.ended = true;
		responseObject.writableFinished = true;
	};
	const responseObject = {
		statusCode: 200,
		writableFinished: false,
		once: (event: string, listener: () => void) => {
			if (event === 'close') closeListeners.push(listener);
			return responseObject;
		},
		setHeader: (name: string, value: string) => {
			response.headers[name.toLowerCase()] = value;
		},
		removeHeader: (name: string) => {
			delete response.headers[name.toLowerCase()];
		},
		status: (code: number) => {
			response.status = code;
			return responseObject;
		},
		json: (body: unknown) => written('json', body),
		send: (body: unknown) => written('send', body),
		end: () => written('end'),
	};
	/** Ends the exchange as n8n does after webhook() returned: answering `status`, or (null) the sender hung up first. */
	const finishExchange = (status: number | null) => {
		if (status !== null) {
			responseObject.statusCode = status;
			responseObject.writableFinished = true;
		}
		for (const listener of closeListeners.splice(0)) listener();
	};
	return { response, responseObject, finishExchange };
}

/**
 * The members given, typed as n8n's context; any other member the node reaches for fails the test
 * with its name instead of returning undefined.
 */
function n8nContext<Context extends object>(kind: string, members: object): Context {
	return new Proxy(members, {
		get: (target, key) => {
			if (key in target || typeof key === 'symbol' || key === 'then')
				return Reflect.get(target, key);
			throw new Error(
				`The fake ${kind} context has no ${key}; add it to test/unit/support/n8nContexts.ts`,
			);
		},
	}) as Context;
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
	return Object.fromEntries(new Headers(headers).entries());
}

function publishKeyCredential(publishKey: string | null = PUBLISH_KEY) {
	return publishKey === null ? noCredential(PUBLISH_KEY_CREDENTIAL) : { secret: publishKey };
}

// What n8n throws when a node has no credential of the type.
function noCredential(name: string): never {
	throw new Error(`Node does not have any credentials set for "${name}"`);
}

/**
 * n8n's deduplication store (mode `entries`) for the node of the contexts it is given to: what the
 * node has recorded, kept across contexts as n8n keeps it across executions. `failing` makes every
 * call fail, as a busy or broken database would.
 */
export function fakeDeduplicationStore({ failing = false } = {}) {
	const entries = new Set<string>();
	const helpers = {
		checkProcessedAndRecord: async (items: Array<string | number>) => {
			if (failing) throw new Error('SQLITE_BUSY: database is locked');
			const found = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
			for (const item of items) {
				(entries.has(String(item)) ? found.processed : found.new).push(item);
				entries.add(String(item));
			}
			return found;
		},
		removeProcessed: async (items: Array<string | number>) => {
			for (const item of items) entries.delete(String(item));
		},
	};
	return { entries, helpers };
}
