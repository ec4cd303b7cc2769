import {
	refusalLevel,
	refusalLogLine,
	type RefusalFields,
} from '../../../../lib/security/refusalLog';

const fields: RefusalFields = {
	nodeName: 'Flow Webhook Trigger',
	workflowId: 'wf123',
	reason: 'signature_mismatch',
	client: '203.0.113.7',
};

describe('refusal log lines', () => {
	it('names the reason, node, workflow and client, quoted, on one line', () => {
		expect(refusalLogLine(fields)).toEqual({
			level: 'warn',
			message:
				'Webhook request refused: reason="signature_mismatch" node="Flow Webhook Trigger" workflow="wf123" client="203.0.113.7"',
			metadata: {
				reason: 'signature_mismatch',
				nodeName: 'Flow Webhook Trigger',
				workflowId: 'wf123',
				client: '203.0.113.7',
			},
		});
	});

	it('adds the event id when known', () => {
		const line = refusalLogLine({ ...fields, reason: 'duplicate', eventId: 'msg_1' });
		expect(line.message).toBe(
			'Webhook request refused: reason="duplicate" node="Flow Webhook Trigger" workflow="wf123" event="msg_1" client="203.0.113.7"',
		);
		expect(line.metadata.eventId).toBe('msg_1');
		expect(line.level).toBe('debug');
	});

	it('says "unknown" when n8n resolved no client address, and leaves out an unknown workflow', () => {
		const line = refusalLogLine({ ...fields, client: undefined, workflowId: undefined });
		expect(line.message).toBe(
			'Webhook request refused: reason="signature_mismatch" node="Flow Webhook Trigger" client="unknown"',
		);
		expect(line.metadata).not.toHaveProperty('workflowId');
	});

	it('can only ever carry its five fields, whatever else the caller passes', () => {
		const withExtras = {
			...fields,
			eventId: 'evt_1',
			body: '{"card":"4111 1111 1111 1111"}',
			headers: { authorization: 'Bearer example-leak-marker-0123' },
			signature: 'v1,c2lnbmF0dXJl',
			token: 'example-leak-marker-0123',
		} as RefusalFields;
		const line = refusalLogLine(withExtras);
		expect(Object.keys(line.metadata).sort()).toEqual(
			['client', 'eventId', 'nodeName', 'reason', 'workflowId'].sort(),
		);
		const everything = JSON.stringify(line);
		for (const secret of ['4111', 'leak-marker', 'c2lnbmF0dXJl', 'authorization']) {
			expect(everything).not.toContain(secret);
		}
	});

	it('keeps attacker-controlled values on the line: quotes, line breaks and escapes are escaped', () => {
		const line = refusalLogLine({
			...fields,
			eventId: 'evt"\nWebhook request refused: reason="forged"\u001b[31m',
			client: '1.2.3.4\r\nfake',
		});
		for (const raw of ['\r', '\n', '\u001b']) expect(line.message).not.toContain(raw);
		expect(line.message).toContain(
			'event="evt\\"\\nWebhook request refused: reason=\\"forged\\"\\u001b[31m"',
		);
		expect(line.message).toContain('client="1.2.3.4\\r\\nfake"');
	});

	it('caps long values', () => {
		const line = refusalLogLine({ ...fields, eventId: 'e'.repeat(5000) });
		expect(line.message.length).toBeLessThan(400);
		expect(line.metadata.eventId).toBe(`${'e'.repeat(200)}…`);
	});

	it.each([
		['ip_not_allowed', 'warn'],
		['rate_limited', 'warn'],
		['signature_mismatch', 'warn'],
		['missing_signature', 'warn'],
		['malformed_signature', 'warn'],
		['missing_timestamp', 'warn'],
		['timestamp_out_of_tolerance', 'warn'],
		['unauthorized', 'warn'],
		['invalid_json', 'info'],
		['payload_too_large', 'info'],
		['invalid_event', 'info'],
		['invalid_query', 'info'],
		['duplicate', 'debug'],
		['ignored', 'debug'],
		['something_new', 'warn'],
	])('logs %s at %s', (reason, level) => {
		expect(refusalLevel(reason)).toBe(level);
		expect(refusalLogLine({ ...fields, reason }).level).toBe(level);
	});
});
