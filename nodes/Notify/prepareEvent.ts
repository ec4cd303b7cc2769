import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { derivedEventId } from '../../lib/delivery/eventId';
import {
	serializeEvent,
	TEST_EVENT_DATA,
	TEST_EVENT_TYPE,
	testEventFormat,
	type EventFormat,
	type FlowSessionFields,
	type OutgoingEvent,
} from '../../lib/delivery/envelope';
import type { DeliveryResult } from '../../lib/delivery/deliver';
import type { Destination } from '../../lib/delivery/destinations';
import type { EarlierAttempts } from '../../lib/delivery/durable';
import { misconfigurationError } from '../../lib/n8n/respond';

import type { RunSettings } from './config';
import { itemParameter, itemText } from './nativeDefaults';
import { readDestinations } from './destinations';
import { isRetryItem, prepareRetry } from './retryItem';

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
	/** What the destinations that accepted in earlier rounds reported. */
	deliveredBefore: DeliveryResult[];
}

function readFlowFields(context: IExecuteFunctions, itemIndex: number): FlowSessionFields {
	const sessionId = itemText(context, 'sessionId', itemIndex);
	if (sessionId === '') {
		throw misconfigurationError(
			context,
			'The session ID is empty; flow session events need one.',
			'Set Session ID, or give the item a session_id or sessionId field.',
			itemIndex,
		);
	}
	return {
		sessionId,
		flowName: itemText(context, 'flowName', itemIndex),
		success: itemParameter(context, 'success', itemIndex, { ensureType: 'boolean' }) as boolean,
		metadata: itemParameter(context, 'metadata', itemIndex, { ensureType: 'json' }),
	};
}

function serialize(
	context: IExecuteFunctions,
	itemIndex: number,
	format: EventFormat,
	event: OutgoingEvent,
): string {
	const serialized = serializeEvent(format, event);
	if (serialized.kind === 'unserializable')
		throw misconfigurationError(
			context,
			`The event cannot be sent as JSON: ${serialized.message}`,
			'The event data must be plain JSON: no circular references and no BigInt values. Check Event Data, or the item itself with Item JSON as Is.',
			itemIndex,
		);
	return serialized.body;
}

/** Reads, validates and serialises one item's event. Throws NodeOperationError for anything misconfigured. */
export function prepareEvent(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
): PreparedEvent {
	const { json } = context.getInputData()[itemIndex];
	// With Retry Later, an item carrying a retry state is an event on its way back from the Wait node.
	if (settings.retryMode === 'retryLater' && isRetryItem(json))
		return prepareRetry(context, itemIndex, settings, json.retry);
	const destinations = readDestinations(context, itemIndex, settings);
	const type = itemText(context, 'eventType', itemIndex);
	if (type === '')
		throw misconfigurationError(
			context,
			'The event type is empty.',
			'Set Event Type, or give the item an event or type field.',
			itemIndex,
		);
	const event: OutgoingEvent = {
		id: itemText(context, 'eventId', itemIndex) || derivedEventId(settings.eventIdSeed, itemIndex),
		type,
		data:
			settings.format === 'itemJson'
				? json
				: (itemParameter(context, 'eventData', itemIndex, { ensureType: 'json' }) as IDataObject),
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
		deliveredBefore: [],
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
		deliveredBefore: [],
	};
}
