// The workflows the queue-mode suite publishes, built from the end-to-end fixtures.
import { randomUUID } from 'node:crypto';

import {
	chainWorkflow,
	codeNode,
	connectionsOf,
	flowTriggerNode,
	n8nNode,
	noOpNode,
	notifyWorkflow,
	providerNode,
	webhookNode,
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
	directRecordedEvents: 'q-direct-recorded-events',
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

const ITEMS_FROM_BODY = 'return $input.first().json.body.items.map((json) => ({ json }));';
const EVENT_TO_ENTRY =
	'return $input.all().map((item) => ({ json: { target: TARGET, id: item.json.id, step: item.json.data.step } }));';

const trigger = (name, path, position, options = {}) =>
	flowTriggerNode(name, { path, options }, position);
const provider = (name, path, publishMode, position) =>
	providerNode(name, { path, authentication: 'none', publishMode }, position);

/**
 * Providers placed directly in the workflow a trigger starts: triggers feeding an Append
 * provider, and a Webhook feeding a Replace provider, all sharing the workflow's static data.
 * "Direct Events" keeps no duplicate record, so nothing but the providers writes static data;
 * "Direct Recorded Events" saves its ids, racing the publishes (the README's known issue).
 */
function directWorkflow() {
	return {
		id: ids.direct,
		name: 'Queue: providers in the triggered workflow',
		nodes: [
			trigger('Direct Events', paths.directEvents, [0, 0], { deduplicate: false }),
			trigger('Direct Recorded Events', paths.directRecordedEvents, [0, -200]),
			codeNode('Direct Entry', EVENT_TO_ENTRY.replace('TARGET', '"log"'), [220, 0]),
			provider('Direct Log', paths.directLog, 'append', [440, 0]),
			webhookNode('Direct Catalog Feed', { path: paths.directCatalogFeed }, [0, 200]),
			codeNode('Direct Catalog Items', ITEMS_FROM_BODY, [220, 200]),
			provider('Direct Catalog', paths.directCatalog, 'replace', [440, 200]),
		],
		connections: connectionsOf([
			['Direct Events', 'Direct Entry'],
			['Direct Recorded Events', 'Direct Entry'],
			['Direct Entry', 'Direct Log'],
			['Direct Catalog Feed', 'Direct Catalog Items'],
			['Direct Catalog Items', 'Direct Catalog'],
		]),
		settings: { executionOrder: 'v1' },
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
			n8nNode('Publish Request', 'n8n-nodes-base.executeWorkflowTrigger', {}, [0, 100]),
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
		settings: { executionOrder: 'v1' },
	};
}

function callPublisher(position) {
	return n8nNode(
		'Publish',
		'n8n-nodes-base.executeWorkflow',
		{ source: 'database', workflowId: ids.publisher, mode: 'once' },
		position,
	);
}

/** Signed events → one log entry each → the publisher's Event Log. */
function eventsWorkflow() {
	return chainWorkflow({
		id: ids.events,
		name: 'Queue: events',
		nodes: [
			trigger('Events In', paths.events, [0, 0]),
			codeNode('Log Entry', EVENT_TO_ENTRY.replace('TARGET', '"log"'), [220, 0]),
			callPublisher([440, 0]),
		],
	});
}

/** POST `{ items }` → the publisher's Catalog; answers when the run has ended. */
function catalogFeedWorkflow() {
	return chainWorkflow({
		id: ids.catalogFeed,
		name: 'Queue: catalog feed',
		nodes: [
			webhookNode('Catalog Feed', { path: paths.catalogFeed }, [0, 0]),
			codeNode(
				'Catalog Entries',
				'return $input.first().json.body.items.map((json) => ({ json: { target: "catalog", ...json } }));',
				[220, 0],
			),
			callPublisher([440, 0]),
		],
	});
}

/** Signed orders → Notify to two destinations, each event under its own id. */
function ordersNotifyWorkflow(destinationUrls) {
	return notifyWorkflow({
		id: ids.notify,
		name: 'Queue: notify',
		start: [trigger('Orders In', paths.orders, [0, 0])],
		parameters: {
			operation: 'sendEvent',
			eventId: '={{ $json.id }}',
			eventType: '={{ $json.event }}',
			eventData: '={{ $json.data }}',
			signing: 'standardWebhooks',
			destinations: { destination: destinationUrls.map((url) => ({ url })) },
			options: { maxAttempts: 3, baseDelayMs: 50, timeoutMs: 5000 },
		},
	});
}

/** A stored wait (n8n keeps waits of 65 s and more in the database), so the main process resumes it. */
export const STORED_WAIT_SECONDS = 70;

/**
 * Signed orders → Notify with Retry Later → Wait until the retry is due → back into Notify, as in
 * examples/durable-delivery.json.
 */
function notifyLaterWorkflow(destinationUrl) {
	const wait = n8nNode(
		'Wait',
		'n8n-nodes-base.wait',
		{ resume: 'specificTime', dateTime: '={{ $json.retry.nextAttemptAt }}' },
		[440, 100],
		{ typeVersion: 1.1, webhookId: randomUUID() },
	);
	return notifyWorkflow({
		id: ids.notifyLater,
		name: 'Queue: notify later',
		start: [trigger('Later Orders In', paths.laterOrders, [0, 0])],
		parameters: {
			operation: 'sendEvent',
			eventType: '={{ $json.event }}',
			signing: 'standardWebhooks',
			retryMode: 'retryLater',
			retrySchedule: `${STORED_WAIT_SECONDS}s`,
			destinations: { destination: [{ url: destinationUrl }] },
			options: { maxAttempts: 2, baseDelayMs: 50, timeoutMs: 5000 },
		},
		settings: { onError: 'continueErrorOutput' },
		nodes: [wait],
		links: [
			['Notify', 'Wait', 1],
			['Wait', 'Notify'],
		],
	});
}

/** Signed events → No Operation: executions that hold nothing but the event. */
function crashWorkflow() {
	return chainWorkflow({
		id: ids.crash,
		name: 'Queue: crash',
		nodes: [trigger(CRASH_TRIGGER, paths.crash, [0, 0]), noOpNode('Received', [220, 0])],
	});
}

export function queueWorkflows({ notifyDestinations, notifyLaterDestination }) {
	return [
		crashWorkflow(),
		directWorkflow(),
		publisherWorkflow(),
		eventsWorkflow(),
		catalogFeedWorkflow(),
		ordersNotifyWorkflow(notifyDestinations),
		notifyLaterWorkflow(notifyLaterDestination),
	];
}
