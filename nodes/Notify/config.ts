import { randomUUID } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import {
	deliverySettings,
	reservedHeaderNames,
	resolveDestinations,
	serializeEvent,
	TEST_EVENT_DATA,
	TEST_EVENT_TYPE,
	testEventFormat,
	type DeliveryOptions,
	type DeliverySettings,
	type Destination,
	type DestinationInput,
	type EventFormat,
	type FlowSessionFields,
	type OutgoingEvent,
	type Signing,
} from '../../lib/delivery';
import { schemeFromParameters, secretToKey } from '../../lib/signing';

import { itemParameter } from './nativeDefaults';

export type Operation = 'sendEvent' | 'sendTestEvent';

/** What holds for the whole run, read once from the first item's parameters. */
export interface RunSettings extends DeliverySettings {
	operation: Operation;
	format: EventFormat;
	signing: Signing;
	/** Headers Notify sets itself, which extra headers may not name. */
	reservedHeaders: string[];
}

/** One event, serialised and ready to go to its destinations. */
export interface PreparedEvent {
	id: string;
	type: string;
	body: string;
	destinations: Destination[];
}

interface DestinationRow {
	url?: unknown;
	headers?: { header?: DestinationInput['headers'] };
}

function text(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(itemParameter(context, name, itemIndex, '') ?? '').trim();
}

async function readSigning(context: IExecuteFunctions): Promise<Signing> {
	const scheme = schemeFromParameters({
		scheme: text(context, 'signing', 0),
		signatureHeader: text(context, 'signatureHeader', 0),
		algorithm: text(context, 'algorithm', 0),
		encoding: text(context, 'encoding', 0),
		prefix: text(context, 'prefix', 0),
		timestampHeader: text(context, 'timestampHeader', 0),
		idHeader: text(context, 'idHeader', 0),
	});
	if (!scheme) return null;
	const { secret } = await context.getCredentials<{ secret: string }>('webhookSigningSecretApi');
	try {
		// Fails on a malformed secret now, before any event is sent.
		secretToKey(secret);
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			`The signing secret is unusable: ${(error as Error).message}`,
		);
	}
	return { scheme, secret };
}

export async function readRunSettings(context: IExecuteFunctions): Promise<RunSettings> {
	const delivery = deliverySettings(context.getNodeParameter('options', 0, {}) as DeliveryOptions);
	if (!delivery.ok) throw new NodeOperationError(context.getNode(), delivery.message);
	const signing = await readSigning(context);
	return {
		...delivery.settings,
		operation: context.getNodeParameter('operation', 0) as Operation,
		format: context.getNodeParameter('eventFormat', 0) as EventFormat,
		signing,
		reservedHeaders: reservedHeaderNames(signing),
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

/** Reads, validates and serialises one item's event. Throws NodeOperationError for anything misconfigured. */
export function prepareEvent(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
): PreparedEvent {
	const destinations = readDestinations(context, itemIndex, settings);
	const type = text(context, 'eventType', itemIndex);
	if (type === '')
		throw new NodeOperationError(context.getNode(), 'The event type is empty.', { itemIndex });
	const event: OutgoingEvent = {
		id: text(context, 'eventId', itemIndex) || randomUUID(),
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
	};
}
