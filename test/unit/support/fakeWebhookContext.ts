import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

export interface FakeRequest {
	headers?: Record<string, string>;
	rawBody?: Buffer;
	/** When set, rawBody is only filled once the node calls readRawBody(). */
	lazyBody?: Buffer;
	query?: Record<string, string>;
	method?: string;
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
}) {
	const nodeId = options.nodeId ?? `node-${Math.random()}`;
	const response: RecordedResponse = { headers: {}, ended: false };
	const request = {
		headers: options.request?.headers ?? {},
		rawBody: options.request?.rawBody,
		query: options.request?.query ?? {},
		method: options.request?.method ?? 'POST',
		readRawBody: async () => {
			request.rawBody = options.request?.lazyBody;
		},
	};
	const responseObject = {
		setHeader: (name: string, value: string) => {
			response.headers[name.toLowerCase()] = value;
		},
		status: (code: number) => {
			response.status = code;
			return responseObject;
		},
		json: (body: unknown) => {
			response.body = body;
			response.ended = true;
		},
		send: (body: unknown) => {
			response.body = body;
			response.ended = true;
		},
		end: () => {
			response.ended = true;
		},
	};
	const staticData = options.staticData ?? {};
	const logged: string[] = [];
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
		logger: {
			error: (message: string) => logged.push(message),
			warn: (message: string) => logged.push(message),
			info: () => undefined,
			debug: () => undefined,
		},
	};
	return {
		context: context as unknown as IWebhookFunctions,
		response,
		staticData,
		logged,
		request,
	};
}
