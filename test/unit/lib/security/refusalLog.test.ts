import {
	refusalLevel,
	refusalLogLine,
	RefusalLogSummary,
	refusalSummaryKey,
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

	it('adds how many refusals went unlogged since the previous line, when any did', () => {
		const line = refusalLogLine({ ...fields, repeated: 41 });
		expect(line.message).toBe(
			'Webhook request refused: reason="signature_mismatch" node="Flow Webhook Trigger" workflow="wf123" client="203.0.113.7" repeated="41"',
		);
		expect(line.metadata.repeated).toBe('41');
		expect(refusalLogLine({ ...fields, repeated: 0 }).metadata).not.toHaveProperty('repeated');
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

describe('RefusalLogSummary', () => {
	const MINUTE = 60_000;
	const key = refusalSummaryKey;

	it('logs the first refusal, then one line a minute carrying how many went unlogged', () => {
		const summary = new RefusalLogSummary();
		const decisions = Array.from({ length: 1000 }, (_, index) =>
			summary.note(key('node', '203.0.113.7', 'signature_mismatch'), index * 10),
		);
		expect(decisions.filter(({ log }) => log)).toEqual([{ log: true, repeated: 0 }]);
		expect(summary.note(key('node', '203.0.113.7', 'signature_mismatch'), MINUTE)).toEqual({
			log: true,
			repeated: 999,
		});
		expect(summary.note(key('node', '203.0.113.7', 'signature_mismatch'), MINUTE + 1).log).toBe(
			false,
		);
	});

	it('logs a new reason, client or node at once', () => {
		const summary = new RefusalLogSummary();
		summary.note(key('node', '203.0.113.7', 'signature_mismatch'), 0);
		for (const combination of [
			key('node', '203.0.113.7', 'missing_signature'),
			key('node', '203.0.113.8', 'signature_mismatch'),
			key('other node', '203.0.113.7', 'signature_mismatch'),
		]) {
			expect(summary.note(combination, 1)).toEqual({ log: true, repeated: 0 });
		}
	});

	it('stays bounded: past its bound it forgets the combination logged longest ago', () => {
		const summary = new RefusalLogSummary(MINUTE, 100);
		for (let client = 0; client < 20_000; client++)
			summary.note(key('node', String(client), 'x'), client);
		expect(summary.tracked).toBe(100);
		expect(summary.note(key('node', '19999', 'x'), 20_000).log).toBe(false);
		expect(summary.note(key('node', '0', 'x'), 20_000).log).toBe(true);
	});

	it('caps request values in its key', () => {
		expect(refusalSummaryKey('scope', 'x'.repeat(10_000), 'reason').length).toBeLessThan(300);
	});
});
