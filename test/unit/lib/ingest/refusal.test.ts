import { errorCode } from '../../../../lib/http/answers';
import { ingestRefusal } from '../../../../lib/ingest/refusal';

const event = { id: 'evt_1', event: 'flow.start' } as never;

describe('what the log says about events that start nothing', () => {
	it('uses the error code of a rejection and no event id', () => {
		expect(
			ingestRefusal({
				kind: 'rejected',
				answer: { status: 401, body: { error: 'signature_mismatch', message: '…' } },
			}),
		).toEqual({ reason: 'signature_mismatch' });
	});

	it('names duplicates and filtered events with their event id', () => {
		const answer = { status: 200, body: { received: true } };
		expect(ingestRefusal({ kind: 'duplicate', answer, event })).toEqual({
			reason: 'duplicate',
			eventId: 'evt_1',
		});
		expect(ingestRefusal({ kind: 'ignored', answer, event })).toEqual({
			reason: 'ignored',
			eventId: 'evt_1',
		});
	});

	it('names a delivery of an event still being stored by its error code, with the event id', () => {
		const answer = { status: 409, body: { error: 'delivery_in_progress', message: '…' } };
		expect(ingestRefusal({ kind: 'in_flight', answer, event })).toEqual({
			reason: 'delivery_in_progress',
			eventId: 'evt_1',
		});
	});

	it('falls back to the status for answers without an error code', () => {
		expect(errorCode({ status: 418 })).toBe('http_418');
		expect(errorCode({ status: 400, body: 'text' })).toBe('http_400');
		expect(errorCode({ status: 400, body: { error: 42 } })).toBe('http_400');
		expect(errorCode({ status: 403, body: { error: 'ip_not_allowed' } })).toBe('ip_not_allowed');
	});
});
