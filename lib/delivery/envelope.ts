/** How an event is laid out in the request body. */
export type EventFormat = 'standardWebhooks' | 'flowSession' | 'itemJson';

/** The fields only a flow session event carries. */
export interface FlowSessionFields {
	sessionId: string;
	flowName: string;
	success: boolean;
	metadata: unknown;
}

export interface OutgoingEvent {
	id: string;
	type: string;
	/** The payload; in the `itemJson` format, the whole body. */
	data: unknown;
	/** When the event happened; stays the same on every attempt. */
	occurredAt: Date;
	/** Required by the `flowSession` format, ignored by the others. */
	flow?: FlowSessionFields;
}

export const TEST_EVENT_TYPE = 'ping';

export const TEST_EVENT_DATA = {
	message:
		'Test event from the n8n Notify node. If you can read this, the destination is reachable.',
};

/** The body of an event in a format, before serialisation. */
export function eventEnvelope(format: EventFormat, event: OutgoingEvent): unknown {
	switch (format) {
		case 'standardWebhooks':
			return { type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data };
		case 'flowSession': {
			if (!event.flow) throw new TypeError('A flow session event needs its session fields.');
			return {
				id: event.id,
				event: event.type,
				session_id: event.flow.sessionId,
				created: Math.floor(event.occurredAt.getTime() / 1000),
				success: event.flow.success,
				flow_name: event.flow.flowName,
				metadata: event.flow.metadata,
				data: event.data,
			};
		}
		case 'itemJson':
			return event.data;
	}
}

/**
 * Test events use the chosen format, except "item JSON as is": a test event has no item to send,
 * so it goes out as a Standard Webhooks event instead.
 */
export function testEventFormat(format: EventFormat): EventFormat {
	return format === 'itemJson' ? 'standardWebhooks' : format;
}

/** The serialised body, or why the event cannot be sent as JSON. */
export type SerializedEvent =
	| { kind: 'serialized'; body: string }
	| { kind: 'unserializable'; message: string };

/**
 * Serialises the body once. These exact characters are signed and sent on every attempt to
 * every destination, so a receiver can verify the signature over the bytes it got.
 */
export function serializeEvent(format: EventFormat, event: OutgoingEvent): SerializedEvent {
	let body: string | undefined;
	try {
		body = JSON.stringify(eventEnvelope(format, event));
	} catch (error) {
		// Data JSON cannot express: a circular structure or a BigInt.
		return { kind: 'unserializable', message: (error as Error).message };
	}
	if (body === undefined)
		return {
			kind: 'unserializable',
			message: 'The event body is empty: there is nothing to send.',
		};
	return { kind: 'serialized', body };
}
