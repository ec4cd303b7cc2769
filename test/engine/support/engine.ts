import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeCredentials,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type NodeExecutionHint,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { ExternalDataProvider } from '../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { FlowWebhookTrigger } from '../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { Notify } from '../../../nodes/Notify/Notify.node';
import { webhookContext, type FakeRequest } from '../../unit/support/n8nContexts';
import { standInNodeTypes } from './standIns.cjs';

/** The package's node types under the names a community install gives them, and n8n's own nodes the examples use. */
const NODE_TYPES: Record<string, INodeType | IVersionedNodeType> = {
	'n8n-nodes-flow-webhooks.externalDataProvider': new ExternalDataProvider(),
	'n8n-nodes-flow-webhooks.flowWebhookTrigger': new FlowWebhookTrigger(),
	'n8n-nodes-flow-webhooks.notify': new Notify(),
	...(standInNodeTypes as Record<string, INodeType>),
};

const nodeTypes: INodeTypes = {
	getByName: (type) => known(type),
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(known(type), version),
	getKnownTypes: () => ({}),
};

function known(type: string): INodeType | IVersionedNodeType {
	const nodeType = NODE_TYPES[type];
	if (!nodeType) throw new Error(`The engine tier has no node type ${type}`);
	return nodeType;
}

/** A workflow as n8n saves it: the nodes (typeVersion and position may be left out) and their connections. */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: Array<Omit<INode, 'typeVersion' | 'position' | 'id'> & Partial<INode>>;
	connections: IConnections;
}

export interface RunOptions {
	/** How n8n started the run (default: `trigger`, as a schedule does). */
	mode?: WorkflowExecuteMode;
	/** The node the run starts at (default: the workflow's trigger). */
	startNode?: string;
	/** The start node's output, as n8n hands on what a webhook returned (default: one empty item). */
	startData?: INodeExecutionData[][];
	/** Credential data by credential type; a node's reference (its id and name) is ignored. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The workflow's static data as the database holds it; the run's changes are written back into it. */
	staticData?: IDataObject;
	/** Where n8n serves production webhooks (`$execution.resumeUrl` is under it). */
	webhookBaseUrl?: string;
}

export interface EngineRun {
	run: IRun;
	/** The error that ended the run, as n8n records it. */
	error: IRun['data']['resultData']['error'];
	/** The items each output of `node` sent on, in its last run. */
	outputs(node: string): INodeExecutionData[][];
	/** The items `node` sent on its first output, in its last run. */
	output(node: string): INodeExecutionData[];
	/** The execution hints `node` showed in its last run (the output pane's notices). */
	hints(node: string): NodeExecutionHint[];
	/** The names of the nodes that ran, in order. */
	ran(): string[];
	/** Continues a run that waits (a Wait node), as n8n does when its time comes. */
	resume(): Promise<EngineRun>;
}

/**
 * Runs a workflow through n8n-core's WorkflowExecute, with n8n-core's execution contexts and
 * helpers, in this process: no server, no database. n8n's expression engine, error handling,
 * paired items and credentials decryption path apply as in a real run.
 */
export async function runWorkflow(
	json: WorkflowJson,
	options: RunOptions = {},
): Promise<EngineRun> {
	const mode = options.mode ?? 'trigger';
	const staticData = options.staticData ?? {};
	const workflowData: IWorkflowBase = {
		id: json.id ?? 'engine-workflow',
		name: json.name ?? 'Engine workflow',
		active: true,
		activeVersionId: null,
		isArchived: false,
		nodes: json.nodes.map((node, index) => ({
			id: `node-${index}`,
			typeVersion: 1,
			position: [index * 200, 0],
			credentials: credentialReferences(node.type, options.credentials ?? {}),
			...node,
		})),
		connections: json.connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: true,
		nodeTypes,
		// The run works on its own copy, as n8n's runs work on the workflow loaded from the database.
		staticData: JSON.parse(JSON.stringify(staticData)),
		settings: workflowData.settings,
	});
	const additionalData = executeAdditionalData(mode, workflowData, options);
	const execute = async (started: PromiseLike<IRun>): Promise<EngineRun> => {
		const run = await started;
		// n8n saves the static data with the workflow when the run changed it, for the next run.
		if (workflow.staticData.__dataChanged === true) {
			workflow.staticData.__dataChanged = false;
			const saved: IDataObject = JSON.parse(JSON.stringify(workflow.staticData));
			delete saved.__dataChanged;
			for (const key of Object.keys(staticData)) delete staticData[key];
			Object.assign(staticData, saved);
		}
		return engineRun(run, async () => {
			const resumed = new WorkflowExecute(additionalData, mode, run.data);
			return await execute(resumed.processRunExecutionData(workflow));
		});
	};
	const startNode = options.startNode
		? (workflow.getNode(options.startNode) ?? undefined)
		: workflow.getStartNode();
	if (!startNode) throw new Error('The workflow has no node to start from');
	return await execute(
		new WorkflowExecute(additionalData, mode).run({
			workflow,
			startNode,
			triggerToStartFrom: options.startData
				? { name: startNode.name, data: startedWith(options.startData) }
				: undefined,
		}),
	);
}

/** A reference to each credential the test gives whose type the node declares, as the editor saves it. */
function credentialReferences(type: string, given: Record<string, unknown>): INodeCredentials {
	const declared = NodeHelpers.getVersionedNodeType(known(type)).description.credentials ?? [];
	return Object.fromEntries(
		declared
			.filter(({ name }) => name in given)
			.map(({ name }) => [name, { id: `${name}-id`, name }]),
	);
}

/**
 * A request reaching the webhook of `triggerName` (through the fake webhook context: the request
 * itself is outside the engine), then, when the node hands it on, the run n8n starts with what
 * the node returned as that node's output.
 */
export async function runFromWebhook(
	json: WorkflowJson,
	triggerName: string,
	request: FakeRequest,
	options: RunOptions = {},
) {
	const node = json.nodes.find(({ name }) => name === triggerName);
	if (!node) throw new Error(`The workflow has no node ${triggerName}`);
	const nodeType = NodeHelpers.getVersionedNodeType(known(node.type), node.typeVersion);
	const credentialType = nodeType.description.credentials?.[0]?.name ?? '';
	const { context } = webhookContext(nodeType, {
		parameters: node.parameters,
		credentials: options.credentials?.[credentialType],
		request,
		nodeId: node.id,
	});
	const answer = await nodeType.webhook!.call(context);
	const run = answer.workflowData
		? await runWorkflow(json, {
				...options,
				startNode: triggerName,
				startData: answer.workflowData,
			})
		: undefined;
	return { answer, run };
}

function startedWith(main: INodeExecutionData[][]) {
	return {
		startTime: Date.now(),
		executionTime: 0,
		executionIndex: 0,
		source: [],
		data: { main },
	};
}

function engineRun(run: IRun, resume: () => Promise<EngineRun>): EngineRun {
	const runData = run.data.resultData.runData;
	const lastTask = (node: string) => {
		const tasks = runData[node];
		if (!tasks?.length) throw new Error(`${node} did not run`);
		return tasks[tasks.length - 1];
	};
	const outputs = (node: string) => (lastTask(node).data?.main ?? []).map((items) => items ?? []);
	return {
		run,
		error: run.data.resultData.error,
		outputs,
		output: (node) => outputs(node)[0] ?? [],
		hints: (node) => lastTask(node).hints ?? [],
		ran: () =>
			Object.entries(runData)
				.flatMap(([name, tasks]) => tasks.map((task) => ({ name, index: task.executionIndex })))
				.sort((a, b) => a.index - b.index)
				.map(({ name }) => name),
		resume,
	};
}

/** What n8n's server gives WorkflowExecute; only what a run of these workflows reaches. */
function executeAdditionalData(
	mode: WorkflowExecuteMode,
	workflowData: IWorkflowBase,
	options: RunOptions,
): IWorkflowExecuteAdditionalData {
	const webhookBaseUrl = options.webhookBaseUrl ?? 'http://127.0.0.1:9/';
	const unused = (name: string) => () => {
		throw new Error(`The engine tier does not provide ${name}`);
	};
	const additionalData: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper: new CredentialsHelper(options.credentials ?? {}),
		hooks: new ExecutionLifecycleHooks(mode, 'engine-execution', workflowData),
		executionId: 'engine-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:9/rest',
		instanceBaseUrl: 'http://127.0.0.1:9/',
		formBaseUrl: 'http://127.0.0.1:9/form',
		formWaitingBaseUrl: 'http://127.0.0.1:9/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:9/form-test',
		webhookBaseUrl,
		webhookWaitingBaseUrl: new URL('webhook-waiting', webhookBaseUrl).href,
		webhookTestBaseUrl: new URL('webhook-test', webhookBaseUrl).href,
		mcpBaseUrl: 'http://127.0.0.1:9/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:9/mcp-test',
		variables: {},
		logAiEvent: () => undefined,
		executeWorkflow: unused('sub-workflows'),
		getRunExecutionData: async () => undefined as IRunExecutionData | undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unused('task runners'),
	};
	return additionalData as IWorkflowExecuteAdditionalData;
}

/** Hands each node the credential of the type it asks for, decrypted, as n8n's credentials helper does. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly byType: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.byType[type];
		if (!data) throw new Error(`No credential of type ${type} in this test`);
		return data;
	}

	getParentTypes = () => [];
	isCredentialUsableByNode = () => true;
	authenticate = async (_credentials: unknown, _type: string, request: never) => request;
	preAuthentication = async () => undefined;
	runPreAuthentication = async () => undefined;
	getCredentials = unusedAsync('stored credentials');
	updateCredentials = unusedAsync('credential updates');
	updateCredentialsOauthTokenData = unusedAsync('OAuth tokens');
	getCredentialsProperties = () => [];
}

function unusedAsync(name: string) {
	return async (): Promise<never> => {
		throw new Error(`The engine tier does not provide ${name}`);
	};
}
