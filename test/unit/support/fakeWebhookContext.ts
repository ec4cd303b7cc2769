import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

export interface FakeRequest {
	headers?: Record<string, string>;
	rawBody?: Buffer;
	/** When set, rawBody is only filled once the node calls readRawBody(). */
	lazyBody?: Buffer;
	query?: Record<string, string>;
	method?: string;
	/** The client address n8n resolved (`req.ip`); 127.0.0.1 unless given. */
	ip?: string;
}

export interface LogLine {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	metadata?: unknown;
}

export interface RecordedResponse {
	status?: number;
	headers: Record<string, string>;
	body?: unknown;
	ended: boolean;
}

/** A stand-in for the slice of n8n's webhook context the nodes use, recording the response. */
export function fakeWebhookContext(options: {
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	request?: FakeRequest;
	staticData?: IDataObject;
	mode?: string;
	/** The same id means the same node across requests (default: a new node each time). */
	nodeId?: string;
	/** Which of the node's webhooks the request reached (default: "default"). */
	webhookName?: string;
}) {
	const nodeId = options.nodeId ?? `node-${Math.random()}`;
	const response: RecordedResponse = { headers: {}, ended: false };
	const request = {
		headers: options.request?.headers ?? {},
		rawBody: options.request?.rawBody,
		query: options.request?.query ?? {},
		method: options.request?.method ?? 'POST',
		ip: options.request?.ip ?? '127.0.0.1',
		readRawBody: async () => {
			request.rawBody = options.request?.lazyBody;
		},
	};
	const closeListeners: Array<() => void> = [];
	// An answer the node writes itself is handed over at once, as Express does for small bodies.
	const answered = () => {
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
		status: (code: number) => {
			response.status = code;
			return responseObject;
		},
		json: (body: unknown) => {
			response.body = body;
			answered();
		},
		send: (body: unknown) => {
			response.body = body;
			answered();
		},
		end: () => {
			answered();
		},
	};
	const staticData = options.staticData ?? {};
	const logged: string[] = [];
	const lines: LogLine[] = [];
	const log = (level: LogLine['level']) => (message: string, metadata?: unknown) => {
		lines.push({ level, message, metadata });
		if (level === 'error' || level === 'warn') logged.push(message);
	};
	const context = {
		getRequestObject: () => request,
		getResponseObject: () => responseObject,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in options.parameters ? options.parameters[name] : fallback,
		getCredentials: async (name: string) => {
			if (!options.credentials)
				throw new Error(`Node does not have any credentials set for "${name}"`);
			return options.credentials;
		},
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: 'workflow-1' }),
		getNode: () => ({ id: nodeId, name: 'Node Under Test' }),
		getMode: () => options.mode ?? 'webhook',
		getWebhookName: () => options.webhookName ?? 'default',
		getInstanceId: () => 'instance-1',
		// No webhook base URL: a node that would call its own webhook has nowhere to send to.
		getNodeWebhookUrl: () => undefined,
		logger: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') },
	};
	/** Ends the exchange as n8n does after webhook() returned: answering `status`, or (null) the sender hung up first. */
	const finishExchange = (status: number | null) => {
		if (status !== null) {
			responseObject.statusCode = status;
			responseObject.writableFinished = true;
		}
		for (const listener of closeListeners.splice(0)) listener();
	};
	return {
		context: context as unknown as IWebhookFunctions,
		response,
		staticData,
		logged,
		lines,
		request,
		finishExchange,
	};
}
