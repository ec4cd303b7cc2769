import { randomUUID } from 'node:crypto';

import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ITaskMetadata,
} from 'n8n-workflow';

import {
	deliverySettings,
	derivedEventId,
	openRetryState,
	parseRetrySchedule,
	reservedHeaderNames,
	resolveDestinations,
	retryStateKey,
	serializeEvent,
	TEST_EVENT_DATA,
	TEST_EVENT_TYPE,
	testEventFormat,
	type DeliveryOptions,
	type DeliverySettings,
	type Destination,
	type DestinationInput,
	type EarlierAttempts,
	type EventFormat,
	type FlowSessionFields,
	type OutgoingEvent,
	type Signing,
} from '../../lib/delivery';
import { activeSecrets, schemeFromParameters, secretToKey } from '../../lib/signing';

import { itemParameter } from './nativeDefaults';

export type Operation = 'sendEvent' | 'sendTestEvent';

/** In-run retries only (a failure is final when the run's attempts are used up), or durable rounds too. */
export type RetryMode = 'inRun' | 'retryLater';

/** What holds for the whole run, read once from the first item's parameters. */
export interface RunSettings extends DeliverySettings {
	operation: Operation;
	format: EventFormat;
	signing: Signing;
	/** Headers Notify sets itself, which extra headers may not name. */
	reservedHeaders: string[];
	retryMode: RetryMode;
	/** Waits before each later round, with Retry Later. */
	delaysMs: number[];
	/** Keys retry states are accepted with: the one new states are sealed with first. */
	stateKeys: Buffer[];
	/** Where default event ids come from; the same when n8n retries the failed execution. */
	eventIdSeed: string;
}

/** One event, serialised and ready to go to its destinations. */
export interface PreparedEvent {
	id: string;
	type: string;
	body: string;
	destinations: Destination[];
	/** Rounds made before this run: 0 unless the item is a retry item. */
	roundsBefore: number;
	/** What earlier rounds tried, by destination URL. */
	earlier: Map<string, EarlierAttempts>;
}

interface DestinationRow {
	url?: unknown;
	headers?: { header?: DestinationInput['headers'] };
}

function text(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(itemParameter(context, name, itemIndex, '') ?? '').trim();
}

interface SigningSetup {
	signing: Signing;
	/** Keys of the current secret and of a previous one kept during a rotation; empty when unsigned. */
	keys: Buffer[];
}

async function readSigning(context: IExecuteFunctions): Promise<SigningSetup> {
	const scheme = schemeFromParameters({
		scheme: text(context, 'signing', 0),
		signatureHeader: text(context, 'signatureHeader', 0),
		algorithm: text(context, 'algorithm', 0),
		encoding: text(context, 'encoding', 0),
		prefix: text(context, 'prefix', 0),
		timestampHeader: text(context, 'timestampHeader', 0),
		idHeader: text(context, 'idHeader', 0),
	});
	if (!scheme) return { signing: null, keys: [] };
	const { secret, previousSecret } = await context.getCredentials<{
		secret: string;
		previousSecret?: string;
	}>('webhookSigningSecretApi');
	let current: Buffer;
	try {
		// Fails on a malformed secret now, before any event is sent.
		current = secretToKey(secret);
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			`The signing secret is unusable: ${(error as Error).message}`,
		);
	}
	// A malformed previous secret only means states sealed with it are refused.
	const previous = activeSecrets(secret, previousSecret)
		.slice(1)
		.flatMap((old) => {
			try {
				return [secretToKey(old)];
			} catch {
				return [];
			}
		});
	return { signing: { scheme, secret }, keys: [current, ...previous] };
}

const EVENT_ID_SEED = 'notifyEventIdSeed';

/**
 * The seed of this run's default event ids, kept in the node's execution metadata. n8n stores that
 * metadata with a failed execution and hands it back to the node when the execution is retried
 * from the execution list, so the retry sends each event with the id it had.
 */
function eventIdSeed(context: IExecuteFunctions): string {
	const kept = (context.getExecuteData?.()?.metadata as Record<string, unknown> | undefined)?.[
		EVENT_ID_SEED
	];
	if (typeof kept === 'string' && kept !== '') return kept;
	const seed = randomUUID();
	context.setMetadata?.({ [EVENT_ID_SEED]: seed } as ITaskMetadata);
	return seed;
}

function readRetrySchedule(context: IExecuteFunctions, retryMode: RetryMode): number[] {
	if (retryMode !== 'retryLater') return [];
	const schedule = parseRetrySchedule(context.getNodeParameter('retrySchedule', 0, ''));
	if (!schedule.ok) throw new NodeOperationError(context.getNode(), schedule.message);
	return schedule.delaysMs;
}

export async function readRunSettings(context: IExecuteFunctions): Promise<RunSettings> {
	const delivery = deliverySettings(context.getNodeParameter('options', 0, {}) as DeliveryOptions);
	if (!delivery.ok) throw new NodeOperationError(context.getNode(), delivery.message);
	const { signing, keys } = await readSigning(context);
	const operation = context.getNodeParameter('operation', 0) as Operation;
	const retryMode =
		operation === 'sendEvent'
			? (context.getNodeParameter('retryMode', 0, 'inRun') as RetryMode)
			: 'inRun';
	const stateKeys = keys.length > 0 ? keys.map(retryStateKey) : [retryStateKey(null)];
	return {
		...delivery.settings,
		operation,
		format: context.getNodeParameter('eventFormat', 0) as EventFormat,
		signing,
		reservedHeaders: reservedHeaderNames(signing),
		retryMode,
		delaysMs: readRetrySchedule(context, retryMode),
		stateKeys,
		eventIdSeed: operation === 'sendEvent' ? eventIdSeed(context) : '',
	};
}

function readDestinations(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
): Destination[] {
	const rows = context.getNodeParameter(
		'destinations.destination',
		itemIndex,
		[],
	) as DestinationRow[];
	const resolved = resolveDestinations(
		rows.map((row) => ({ url: row.url, headers: row.headers?.header })),
		settings.reservedHeaders,
	);
	if (!resolved.ok)
		throw new NodeOperationError(context.getNode(), resolved.message, { itemIndex });
	return resolved.destinations;
}

function readFlowFields(context: IExecuteFunctions, itemIndex: number): FlowSessionFields {
	const sessionId = text(context, 'sessionId', itemIndex);
	if (sessionId === '') {
		throw new NodeOperationError(
			context.getNode(),
			'The session ID is empty; flow session events need one.',
			{ itemIndex },
		);
	}
	return {
		sessionId,
		flowName: text(context, 'flowName', itemIndex),
		success: context.getNodeParameter('success', itemIndex, true, {
			ensureType: 'boolean',
		}) as boolean,
		metadata: context.getNodeParameter('metadata', itemIndex, {}, { ensureType: 'json' }),
	};
}

function serialize(
	context: IExecuteFunctions,
	itemIndex: number,
	format: EventFormat,
	event: OutgoingEvent,
): string {
	try {
		return serializeEvent(format, event);
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			`The event cannot be sent as JSON: ${(error as Error).message}`,
			{ itemIndex },
		);
	}
}

/**
 * Whether an item is one of Notify's reports. Sent on as a new event it would get a new id, so
 * with Retry Later a report that lost its retry state is refused rather than sent.
 */
function isReport(json: IDataObject): boolean {
	return typeof json.eventId === 'string' && Array.isArray(json.deliveries);
}

/**
 * The event a retry item carries, to send again to the destinations still owed. Its state must be
 * intact, and the owed destinations must still pass the checks a new event's destinations pass.
 */
function prepareRetry(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
	retry: unknown,
): PreparedEvent {
	const opened = openRetryState(retry, settings.stateKeys, Date.now());
	if (!opened.ok) throw new NodeOperationError(context.getNode(), opened.message, { itemIndex });
	const { state } = opened;
	const resolved = resolveDestinations(
		state.owed.map((owed) => ({
			url: owed.url,
			headers: Object.entries(owed.headers).map(([name, value]) => ({ name, value })),
		})),
		settings.reservedHeaders,
	);
	if (!resolved.ok)
		throw new NodeOperationError(
			context.getNode(),
			`The retry of event ${state.eventId} cannot be sent: ${resolved.message}`,
			{ itemIndex },
		);
	return {
		id: state.eventId,
		type: state.type,
		body: state.body,
		destinations: resolved.destinations,
		roundsBefore: state.round,
		earlier: new Map(
			state.owed.map((owed) => [owed.url, { attempts: owed.attempts, history: owed.history }]),
		),
	};
}

/** Reads, validates and serialises one item's event. Throws NodeOperationError for anything misconfigured. */
export function prepareEvent(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
): PreparedEvent {
	const { json } = context.getInputData()[itemIndex];
	// With Retry Later, an item carrying a retry state is an event on its way back from the Wait node.
	if (settings.retryMode === 'retryLater' && (json.retry !== undefined || isReport(json)))
		return prepareRetry(context, itemIndex, settings, json.retry);
	const destinations = readDestinations(context, itemIndex, settings);
	const type = text(context, 'eventType', itemIndex);
	if (type === '')
		throw new NodeOperationError(context.getNode(), 'The event type is empty.', { itemIndex });
	const event: OutgoingEvent = {
		id: text(context, 'eventId', itemIndex) || derivedEventId(settings.eventIdSeed, itemIndex),
		type,
		data:
			settings.format === 'itemJson'
				? context.getInputData()[itemIndex].json
				: (itemParameter(
						context,
						'eventData',
						itemIndex,
						{},
						{ ensureType: 'json' },
					) as IDataObject),
		occurredAt: new Date(),
		flow: settings.format === 'flowSession' ? readFlowFields(context, itemIndex) : undefined,
	};
	return {
		id: event.id,
		type,
		destinations,
		body: serialize(context, itemIndex, settings.format, event),
		roundsBefore: 0,
		earlier: new Map(),
	};
}

/** The `ping` event of the Send Test Event operation, built from the first item's parameters. */
export function prepareTestEvent(context: IExecuteFunctions, settings: RunSettings): PreparedEvent {
	const format = testEventFormat(settings.format);
	const event: OutgoingEvent = {
		id: randomUUID(),
		type: TEST_EVENT_TYPE,
		data: TEST_EVENT_DATA,
		occurredAt: new Date(),
		flow: format === 'flowSession' ? readFlowFields(context, 0) : undefined,
	};
	return {
		id: event.id,
		type: event.type,
		destinations: readDestinations(context, 0, settings),
		body: serialize(context, 0, format, event),
		roundsBefore: 0,
		earlier: new Map(),
	};
}
