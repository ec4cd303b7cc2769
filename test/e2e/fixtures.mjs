// Workflows, nodes and credentials the end-to-end, queue and bench code import, built in code so
// each test states what it needs.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { PREVIOUS_SECRET, SIGNING_SECRET } from '../support/events.cjs';

export {
	flowEvent,
	PREVIOUS_SECRET,
	SIGNING_SECRET,
	signedRequest,
	standardWebhookHeaders,
} from '../support/events.cjs';

export const PACKAGE = 'n8n-nodes-flow-webhooks';
export const signingCredential = {
	id: 'e2eSigningSecret',
	name: 'E2E signing secret',
	type: 'webhookSigningSecretApi',
	data: { secret: SIGNING_SECRET, previousSecret: PREVIOUS_SECRET },
};

const credentialRef = {
	webhookSigningSecretApi: { id: signingCredential.id, name: signingCredential.name },
};

/**
 * The `id` of the item a trigger named `triggerName` emitted in an execution's data (on whichever
 * output, as routing by event type spreads them), whether the execution ran, crashed or is still
 * queued. Read from the trigger's run, else from the data the execution was stored with: when n8n
 * recovers a run it was killed in, it gives a node its event log saw finish a placeholder output
 * (`isArtificialRecoveredEventItem`) and leaves the stored start data as it was.
 */
export function triggeredEventId(executionData, triggerName = 'Flow Webhook Trigger') {
	const outputs = [
		executionData?.resultData?.runData?.[triggerName]?.[0]?.data?.main,
		executionData?.executionData?.nodeExecutionStack?.[0]?.data?.main,
	];
	for (const output of outputs) {
		const id = output?.find((items) => items?.length > 0)?.[0]?.json?.id;
		if (id !== undefined) return id;
	}
	return undefined;
}

/**
 * Which of `ids` the duplicate record of trigger `triggerName` holds in a workflow's static data,
 * oldest first, read the way the trigger reads it (it keeps their keys only: lib/store/eventKeys.ts);
 * a key of none of them reads `<another id: key>`.
 */
export function savedEventIds(staticData, ids, triggerName = 'Flow Webhook Trigger') {
	const { eventKey, fromStored } = createRequire(import.meta.url)(
		'../../dist/lib/store/eventKeys.js',
	);
	const byKey = new Map(ids.map((id) => [eventKey(id), id]));
	const saved = [...fromStored(staticData?.[`node:${triggerName}`] ?? {}).keys()];
	return saved.map((key) => byKey.get(key) ?? `<another id: ${key}>`);
}

/** A workflow id n8n accepts (16 alphanumerics) from a readable label. */
export function workflowId(label) {
	return label
		.replace(/[^A-Za-z0-9]/g, '')
		.padEnd(16, '0')
		.slice(0, 16);
}

// The version each node gets unless a test gives one: the versions most saved workflows hold
// (version 2 of the trigger and Notify, which read secrets per sender, is given where a test
// needs it, as in real-senders.test.mjs); other nodes are at 1.
const PACKAGE_VERSIONS = {
	[`${PACKAGE}.flowWebhookTrigger`]: 1.1,
	[`${PACKAGE}.externalDataProvider`]: 1.1,
};

/** Any n8n node; `extra` adds node settings (`typeVersion`, `credentials`, `onError`, ...). */
export function n8nNode(name, type, parameters, position = [0, 0], extra = {}) {
	const typeVersion = PACKAGE_VERSIONS[type] ?? 1;
	return { id: randomUUID(), name, type, typeVersion, parameters, position, ...extra };
}

/** A Flow Webhook Trigger, verifying with `signingCredential` unless `verification` is `none`. */
export function flowTriggerNode(name, parameters, position = [0, 0], extra = {}) {
	return packageNode(name, 'flowWebhookTrigger', parameters, position, {
		webhookId: randomUUID(),
		credentials: parameters.verification === 'none' ? undefined : credentialRef,
		...extra,
	});
}

/**
 * Flow Webhook Trigger → No Operation, so executions show what the trigger emitted; `credential`
 * replaces `signingCredential`.
 */
export function triggerWorkflow({ id, path, parameters = {}, typeVersion, credential }) {
	const extra = {
		...(typeVersion === undefined ? {} : { typeVersion }),
		...(credential
			? { credentials: { webhookSigningSecretApi: { id: credential.id, name: credential.name } } }
			: {}),
	};
	return chainWorkflow({
		id,
		name: `Trigger ${path}`,
		nodes: [
			flowTriggerNode('Flow Webhook Trigger', { path, ...parameters }, [0, 0], extra),
			noOpNode('Received', [240, 0]),
		],
	});
}

/** A workflow whose nodes run one after another. */
export function chainWorkflow({ id, name, nodes }) {
	return {
		id,
		name,
		nodes,
		connections: connectionsOf(chainLinks(nodes)),
		settings: { executionOrder: 'v1' },
	};
}

/** Links from each node to the next. */
function chainLinks(nodes) {
	return nodes.slice(1).map((next, index) => [nodes[index].name, next.name]);
}

// External Data Provider: workflows made of independent chains `trigger → Code → External Data Provider`.

export const DATA_TOKEN = 'e2e-data-token-0123456789abcdef';
export const ROTATED_DATA_TOKEN = 'e2e-rotated-token-fedcba9876543210';

export const dataAccessCredential = {
	id: 'e2eDataAccess000',
	name: 'E2E data access',
	type: 'dataProviderAccessApi',
	data: { token: DATA_TOKEN, additionalTokens: ROTATED_DATA_TOKEN },
};

export const PUBLISH_KEY = 'e2e-publish-key-0123456789abcdef-0123456789';

/** The key every provider of these workflows signs its publishes with (only the runs and n8n know it). */
export const publishKeyCredential = {
	id: 'e2ePublishKey000',
	name: 'E2E publish key',
	type: 'dataProviderPublishKeyApi',
	data: { secret: PUBLISH_KEY },
};

/** What a workflow of providers needs imported beside it. */
export const providerCredentials = [dataAccessCredential, publishKeyCredential];

/** The `credentials` of a provider node: the publish key, and the access tokens when readers need one. */
function providerNodeCredentials(authentication) {
	const ref = ({ id, name }) => ({ id, name });
	return {
		dataProviderPublishKeyApi: ref(publishKeyCredential),
		...(['bearerToken', 'customHeader'].includes(authentication)
			? { dataProviderAccessApi: ref(dataAccessCredential) }
			: {}),
	};
}

// Publishes whatever the feeding request sends as `{ "items": [...] }`.
const ITEMS_FROM_BODY = 'return $input.first().json.body.items.map((json) => ({ json }));';
// One item per event the starting request sends as `{ "events": [...] }`.
const EVENTS_FROM_BODY = 'return $input.first().json.body.events.map((json) => ({ json }));';

/**
 * One chain: a built-in Webhook (POST `feedPath`, answering when the run is done) or, without
 * `feedPath`, a Manual Trigger with `manualItems`; then a Code node; then an External Data
 * Provider named `name` with `parameters`.
 */
function providerChain({ name, feedPath, manualItems, parameters }, row) {
	const y = row * 200;
	const trigger = feedPath
		? webhookNode(`${name} Feed`, { path: feedPath }, [0, y])
		: n8nNode(`${name} Start`, 'n8n-nodes-base.manualTrigger', {}, [0, y]);
	const jsCode = feedPath
		? ITEMS_FROM_BODY
		: `return ${JSON.stringify(manualItems)}.map((json) => ({ json }));`;
	const code = codeNode(`${name} Items`, jsCode, [220, y]);
	const nodes = [trigger, code, providerNode(name, parameters, [440, y])];
	return { nodes, connections: connectionsOf(chainLinks(nodes)) };
}

/** An External Data Provider with the credentials its `authentication` asks for. */
export function providerNode(name, parameters, position = [0, 0]) {
	return packageNode(name, 'externalDataProvider', parameters, position, {
		webhookId: randomUUID(),
		credentials: providerNodeCredentials(parameters.authentication),
	});
}

export function providerWorkflow({ id, chains }) {
	const built = chains.map(providerChain);
	return {
		id,
		name: `Providers ${id}`,
		nodes: built.flatMap((chain) => chain.nodes),
		connections: Object.assign({}, ...built.map((chain) => chain.connections)),
		settings: { executionOrder: 'v1' },
	};
}

/**
 * What the editor sends for "Execute step" on a node with no earlier run data, through the
 * instance's editor API (`n8n` from startN8n); returns n8n's answer. n8n 1.x runs the workflow
 * sent along, as its editor does; 2.x runs the stored one.
 */
export async function executeStep(n8n, workflowId, nodeName) {
	return await n8n.rest('POST', `/workflows/${workflowId}/run`, {
		workflowData: await n8n.rest('GET', `/workflows/${workflowId}`),
		destinationNode: { nodeName, mode: 'inclusive' },
	});
}

// Building blocks for workflows started over HTTP by n8n's own nodes (added for the Notify tests).

/** The reference to `signingCredential` that a node of ours puts in its `credentials`. */
export { credentialRef as signingCredentialRef };

/**
 * n8n's built-in Webhook node on /webhook/<path>: by default it runs the workflow on POST and
 * answers when the run has ended, so a test can simply await its request instead of polling the
 * database; `parameters` change that (`httpMethod`, `responseMode`, ...).
 */
export function webhookNode(name, parameters, position = [0, 0]) {
	return n8nNode(
		name,
		'n8n-nodes-base.webhook',
		{ httpMethod: 'POST', responseMode: 'lastNode', options: {}, ...parameters },
		position,
		{ typeVersion: 2, webhookId: randomUUID() },
	);
}

/** The Webhook node named Start that the workflows started over HTTP begin with. */
export function webhookStart(path, position = [0, 0]) {
	return webhookNode('Start', { path }, position);
}

/** A Code node running `jsCode` once for all items. */
export function codeNode(name, jsCode, position = [0, 0]) {
	return n8nNode(name, 'n8n-nodes-base.code', { jsCode }, position, { typeVersion: 2 });
}

/** A node of this package, e.g. `packageNode('Notify', 'notify', {...})`. */
export function packageNode(name, type, parameters, position = [0, 0], extra = {}) {
	return n8nNode(name, `${PACKAGE}.${type}`, parameters, position, extra);
}

/** n8n's Split Out node: one item per element of the array at `field` of the input item. */
export function splitOutNode(name, field, position) {
	return n8nNode(
		name,
		'n8n-nodes-base.splitOut',
		{ fieldToSplitOut: field, options: {} },
		position,
	);
}

/** A No Operation node, which shows what reached it. */
export function noOpNode(name, position = [0, 0]) {
	return n8nNode(name, 'n8n-nodes-base.noOp', {}, position);
}

/** Connections from `[from, to, output index (default 0)]` links between node names. */
export function connectionsOf(links) {
	const connections = {};
	for (const [from, to, output = 0] of links) {
		const outputs = (connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

/** What the editor sends for "Stop execution"; returns n8n's answer. */
export async function stopExecution(n8n, executionId) {
	return await n8n.rest('POST', `/executions/${executionId}/stop`);
}

/**
 * Events sent by this package's Notify, named Notify, with `parameters`, signing with
 * `signingCredential`; `settings` adds node settings such as `onError`. What feeds it: `start`, nodes
 * that run one after another; by default Start (see `webhookStart`) on `path`, then a Code node
 * named Events running `events`, which by default makes one item per entry of the request's
 * `events`. `nodes` and `links` (`[from, to, output]`) add what comes after Notify.
 */
export function notifyWorkflow({
	id,
	name,
	path,
	events = EVENTS_FROM_BODY,
	start = [webhookStart(path), codeNode('Events', events, [220, 0])],
	parameters,
	settings = {},
	nodes = [],
	links = [],
}) {
	const notify = packageNode('Notify', 'notify', parameters, [220 * start.length, 0], {
		credentials: credentialRef,
		...settings,
	});
	const feeding = [...start, notify];
	return {
		id,
		name,
		nodes: [...feeding, ...nodes],
		connections: connectionsOf([...chainLinks(feeding), ...links]),
		settings: { executionOrder: 'v1' },
	};
}

// examples/durable-delivery.json: Send now → Order event → Notify → (Retry Later) Wait → back into Notify.
const durableExample = JSON.parse(
	readFileSync(new URL('../../examples/durable-delivery.json', import.meta.url), 'utf8'),
);
export const DURABLE_EXAMPLE_ID = durableExample.id;
export const DURABLE_NOTIFY = 'Notify receivers';
export const DURABLE_WAIT = 'Wait for next attempt';

/**
 * The durable-delivery example's loop sending to `urls` (in that order) on `schedule`, signing with
 * `signingCredential`; `id` and `path` (of its Send now webhook) make another copy of it, with its own
 * node ids. `options` replace Notify's: by default one delivery at a time, in destination order, so
 * a destination's attempts end before the next one is sent to, and two fast attempts per round.
 */
export function durableDeliveryWorkflow(
	urls,
	{
		id = durableExample.id,
		path,
		schedule,
		options = { concurrency: 1, maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 },
	},
) {
	const copy = id !== durableExample.id;
	const nodes = durableExample.nodes.map((node) => {
		// A second copy of the example needs its own node, webhook and path ids to be published too.
		const own = copy
			? { ...node, id: randomUUID(), ...(node.webhookId && { webhookId: randomUUID() }) }
			: node;
		if (node.type === 'n8n-nodes-base.webhook')
			return { ...own, parameters: { ...node.parameters, ...(path && { path }) } };
		if (node.name !== DURABLE_NOTIFY) return own;
		return {
			...own,
			parameters: {
				...node.parameters,
				retrySchedule: schedule,
				destinations: { destination: urls.map((url) => ({ url })) },
				options,
			},
			credentials: credentialRef,
		};
	});
	return { ...durableExample, id, nodes };
}

/** The POST path n8n registered for the publish webhook of provider `nodeName` in `workflowId`. */
export async function publishWebhookPath(n8n, workflowId, nodeName) {
	const [{ webhookPath }] = await n8n.query(
		"SELECT webhookPath FROM webhook_entity WHERE workflowId = ? AND node = ? AND method = 'POST'",
		[workflowId, nodeName],
	);
	return webhookPath;
}

/**
 * A publish of `items` (Replace) as a run sends it to provider `nodeId` of `workflowId`, signed with
 * a key derived from `publishKey`; `withoutKeyId` leaves out the header that names the key, so the
 * webhook checks the signature itself. Needs the built package.
 */
export function signedPublish({
	publishKey,
	workflowId,
	nodeId,
	items,
	maxBytes = 100_000,
	id = `pub_${randomUUID()}`,
	withoutKeyId = false,
}) {
	const require = createRequire(import.meta.url);
	const {
		PUBLISH_KEY_ID_HEADER,
		publishSigningSecret,
	} = require('../../dist/lib/dataset/publishing/protocol.js');
	const { signedPublishRequest } = require('../../dist/lib/dataset/publishing/send.js');
	const secret = publishSigningSecret(publishKey, workflowId, nodeId);
	const request = { items, settings: { mode: 'replace', keepNewest: 0, maxBytes } };
	const { body, headers } = signedPublishRequest(request, secret, id, new Date());
	if (withoutKeyId) delete headers[PUBLISH_KEY_ID_HEADER];
	return { body, headers };
}
