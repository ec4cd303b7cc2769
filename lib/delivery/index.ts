export {
	outcomeFromError,
	outcomeFromResponse,
	type AttemptOutcome,
	type ReceivedResponse,
} from './attempt';
export {
	deliverWithRetries,
	type AttemptRecord,
	type Delivery,
	type DeliveryResult,
	type DeliveryRuntime,
} from './deliver';
export {
	MAX_DESTINATIONS,
	resolveDestinations,
	type Destination,
	type DestinationInput,
} from './destinations';
export {
	serializeEvent,
	TEST_EVENT_DATA,
	TEST_EVENT_TYPE,
	testEventFormat,
	type EventFormat,
	type FlowSessionFields,
	type OutgoingEvent,
} from './envelope';
export { createLimiter } from './limiter';
export {
	reportError,
	runFailure,
	urlForMessages,
	type EventReport,
	type ItemReport,
} from './report';
export { reservedHeaderNames, signedRequest, type Signing, type SignedRequest } from './request';
export {
	deliverySettings,
	type DeliveryDefaults,
	type DeliveryOptions,
	type DeliverySettings,
} from './settings';
export { settleRound, type EarlierAttempts, type RoundDelivery } from './durable';
export { derivedEventId } from './eventId';
export { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './retrySchedule';
export {
	MAX_HISTORY,
	openRetryState,
	retryStateKey,
	type OwedDestination,
	type RetryState,
} from './retryState';
