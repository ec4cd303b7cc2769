import { eventItem } from '../../../../lib/ingest/eventItem';

const event = {
	id: 'e1',
	event: 'flow.end',
	sessionId: 's',
	flowName: null,
	success: false,
	created: null,
	metadata: null,
	data: { ok: 1 },
};

describe('eventItem', () => {
	it('holds the normalised fields and the original body', () => {
		expect(eventItem(event, { raw: true }, {})).toEqual({ ...event, body: { raw: true } });
	});

	it('includes headers without signatures, authorization or cookies', () => {
		const headers = {
			'content-type': 'application/json',
			'webhook-signature': 'v1,abc',
			Authorization: 'Bearer t',
			cookie: 'c=1',
			'x-custom': 'kept',
		};
		expect(eventItem(event, {}, { headers, hiddenHeaders: ['webhook-signature'] }).headers).toEqual(
			{
				'content-type': 'application/json',
				'x-custom': 'kept',
			},
		);
	});

	it('adds receivedAt as an ISO time', () => {
		expect(eventItem(event, {}, { receivedAt: new Date(0) }).receivedAt).toBe(
			'1970-01-01T00:00:00.000Z',
		);
	});
});
