// The workflows the queue-mode suite publishes, built from the end-to-end fixtures.
import { randomUUID } from 'node:crypto';

import {
	codeNode,
	connectionsOf,
	noOpNode,
	packageNode,
	providerNodeCredentials,
	signingCredentialRef,
	webhookStart,
	workflowId,
} from '../e2e/fixtures.mjs';

export const ids = {
	direct: workflowId('queueDirect'),
	publisher: workflowId('queuePublisher'),
	events: workflowId('queueEvents'),
	catalogFeed: workflowId('queueCatalogFeed'),
	notify: workflowId('queueNotify'),
	notifyLater: workflowId('queueNotifyLater'),
	crash: workflowId('queueCrash'),
};

export const paths = {
	directEvents: 'q-direct-events',
	directLog: 'q-direct-log',
	directCatalogFeed: 'q-direct-catalog-feed',
	directCatalog: 'q-direct-catalog',
	events: 'q-events',
	eventLog: 'q-event-log',
	catalogFeed: 'q-catalog-feed',
	catalog: 'q-catalog',
	orders: 'q-orders',
	laterOrders: 'q-later-orders',
	crash: 'q-crash',
};

/** The trigger of the crash test's workflow, whose item each execution holds. */
export const CRASH_TRIGGER = 'Crash Events';

const settings = { executionOrder: 'v1' };
const ITEMS_FROM_BODY = 'return $input.first().json.body.items.map((json) => ({ json }));';
const EVENT_TO_ENTRY =
	'return $input.all().map((item) => ({ json: { target: TARGET, id: item.json.id, step: item.json.data.step } }));';

function trigger(name, path, position) {
	return packageNode(name, 'flowWebhookTrigger', { path }, position, {
		webhookId: randomUUID(),
		credentials: signingCredentialRef,
	});
}

function provider(name, path, publishMode, position) {
	return packageNode(
		name,
		'externalDataProvider',
		{ path, authentication: 'none', publishMode },
		position,
		{ webhookId: randomUUID(), credentials: providerNodeCredentials('none') },
	);
}

function feed(name, path, position) {
	return { ...webhookStart(path, position), name };
}

/**
 * Providers placed directly in the workflow a trigger starts: a trigger feeding an Append
 * provider, and a Webhook feeding a Replace provider, all sharing the workflow's static data.
 */
function directWorkflow() {
	return {
		id: ids.direct,
		name: 'Queue: providers in the triggered workflow',
		nodes: [
			trigger('Direct Events', paths.directEvents, [0, 0]),
			codeNode('Direct Entry', EVENT_TO_ENTRY.replace('TARGET', '"log"'), [220, 0]),
			provider('Direct Log', paths.directLog, 'append', [440, 0]),
			feed('Direct Catalog Feed', paths.directCatalogFeed, [0, 200]),
			codeNode('Direct Catalog Items', ITEMS_FROM_BODY, [220, 200]),
			provider('Direct Catalog', paths.directCatalog, 'replace', [440, 200]),
		],
		connections: connectionsOf([
			['Direct Events', 'Direct Entry'],
			['Direct Entry', 'Direct Log'],
			['Direct Catalog Feed', 'Direct Catalog Items'],
			['Direct Catalog Items', 'Direct Catalog'],
		]),
		settings,
	};
}

/**
 * The placement the README recommends for queue mode: both providers in a workflow that other
 * workflows call with Execute Workflow. A called workflow's static data is read from the database
 * when the call starts, on the worker too. Items carry `target` to pick their provider.
 */
function publisherWorkflow() {
	const only = (target) =>
		`return $input.all().filter((item) => item.json.target === '${target}');`;
	return {
		id: ids.publisher,
		name: 'Queue: publisher (called)',
		nodes: [
			{
				id: randomUUID(),
				name: 'Publish Request',
				type: 'n8n-nodes-base.executeWorkflowTrigger',
				typeVersion: 1,
				parameters: {},
				position: [0, 100],
			},
			codeNode('Log Entries', only('log'), [220, 0]),
			provider('Event Log', paths.eventLog, 'append', [440, 0]),
			codeNode('Catalog Entries', only('catalog'), [220, 200]),
			provider('Catalog', paths.catalog, 'replace', [440, 200]),
		],
		connections: connectionsOf([
			['Publish Request', 'Log Entries'],
			['Publish Request', 'Catalog Entries'],
			['Log Entries', 'Event Log'],
			['Catalog Entries', 'Catalog'],
		]),
		settings,
	};
}

function callPublisher(position) {
	return {
		id: randomUUID(),
		name: 'Publish',
		type: 'n8n-nodes-base.executeWorkflow',
		typeVersion: 1,
		parameters: { source: 'database', workflowId: ids.publisher, mode: 'once' },
		position,
	};
}

/** Signed events → one log entry each → the publisher's Event Log. */
function eventsWorkflow() {
	return {
		id: ids.events,
		name: 'Queue: events',
		nodes: [
			trigger('Events In', paths.events, [0, 0]),
			codeNode('Log Entry', EVENT_TO_ENTRY.replace('TARGET', '"log"'), [220, 0]),
			callPublisher([440, 0]),
		],
		connections: connectionsOf([
			['Events In', 'Log Entry'],
			['Log Entry', 'Publish'],
		]),
		settings,
	};
}

/** POST `{ items }` → the publisher's Catalog; answers when the run has ended. */
function catalogFeedWorkflow() {
	return {
		id: ids.catalogFeed,
		name: 'Queue: catalog feed',
		nodes: [
			feed('Catalog Feed', paths.catalogFeed, [0, 0]),
			codeNode(
				'Catalog Entries',
				'return $input.first().json.body.items.map((json) => ({ json: { target: "catalog", ...json } }));',
				[220, 0],
			),
			callPublisher([440, 0]),
		],
		connections: connectionsOf([
			['Catalog Feed', 'Catalog Entries'],
			['Catalog Entries', 'Publish'],
		]),
		settings,
	};
}

/** Signed orders → Notify to two destinations, each event under its own id. */
function notifyWorkflow(destinationUrls) {
	return {
		id: ids.notify,
		name: 'Queue: notify',
		nodes: [
			trigger('Orders In', paths.orders, [0, 0]),
			packageNode(
				'Notify',
				'notify',
				{
					operation: 'sendEvent',
					eventId: '={{ $json.id }}',
					eventType: '={{ $json.event }}',
					eventData: '={{ $json.data }}',
					signing: 'standardWebhooks',
					destinations: { destination: destinationUrls.map((url) => ({ url })) },
					options: { maxAttempts: 3, baseDelayMs: 50, timeoutMs: 5000 },
				},
				[220, 0],
				{ credentials: signingCredentialRef },
			),
		],
		connections: connectionsOf([['Orders In', 'Notify']]),
		settings,
	};
}

/** A stored wait (n8n keeps waits of 65 s and more in the database), so the main process resumes it. */
export const STORED_WAIT_SECONDS = 70;

/**
 * Signed orders → Notify with Retry Later → Wait until the retry is due → back into Notify, as in
 * examples/durable-delivery.json.
 */
function notifyLaterWorkflow(destinationUrl) {
	const wait = {
		id: randomUUID(),
		name: 'Wait',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [440, 100],
		parameters: { resume: 'specificTime', dateTime: '={{ $json.retry.nextAttemptAt }}' },
		webhookId: randomUUID(),
	};
	return {
		id: ids.notifyLater,
		name: 'Queue: notify later',
		nodes: [
			trigger('Later Orders In', paths.laterOrders, [0, 0]),
			packageNode(
				'Notify',
				'notify',
				{
					operation: 'sendEvent',
					eventType: '={{ $json.event }}',
					signing: 'standardWebhooks',
					retryMode: 'retryLater',
					retrySchedule: `${STORED_WAIT_SECONDS}s`,
					destinations: { destination: [{ url: destinationUrl }] },
					options: { maxAttempts: 2, baseDelayMs: 50, timeoutMs: 5000 },
				},
				[220, 0],
				{ credentials: signingCredentialRef, onError: 'continueErrorOutput' },
			),
			wait,
		],
		connections: connectionsOf([
			['Later Orders In', 'Notify'],
			['Notify', 'Wait', 1],
			['Wait', 'Notify'],
		]),
		settings,
	};
}

/** Signed events → No Operation: executions that hold nothing but the event. */
function crashWorkflow() {
	return {
		id: ids.crash,
		name: 'Queue: crash',
		nodes: [trigger(CRASH_TRIGGER, paths.crash, [0, 0]), noOpNode('Received', [220, 0])],
		connections: connectionsOf([[CRASH_TRIGGER, 'Received']]),
		settings,
	};
}

export function queueWorkflows({ notifyDestinations, notifyLaterDestination }) {
	return [
		crashWorkflow(),
		directWorkflow(),
		publisherWorkflow(),
		eventsWorkflow(),
		catalogFeedWorkflow(),
		notifyWorkflow(notifyDestinations),
		notifyLaterWorkflow(notifyLaterDestination),
	];
}
