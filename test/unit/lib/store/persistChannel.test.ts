import { channelSecret } from '../../../../lib/signing/channelSecret';
import { eventKey } from '../../../../lib/store/eventKeys';
import { receivePersist, signedPersistRequest } from '../../../../lib/store/persistChannel';
import { signedRequest } from '../../../support/events.cjs';

const SECRET = channelSecret('signing secret', 'persist', 'workflow-1', 'node-1');
// A whole minute, as the stored times are.
const NOW = 1_699_999_980;

function received(body: string, headers: Record<string, string>) {
	return { headers, rawBody: Buffer.from(body) };
}

describe('the persist channel (ids of stored runs, handed to the node’s own webhook)', () => {
	const keys = (...ids: string[]) => new Map(ids.map((id) => [eventKey(id), NOW]));

	it('carries the keys of the ids with the minute they were accepted in, for a request signed with the node’s key', () => {
		const { body, headers } = signedPersistRequest(keys('evt_a', 'evt_b'), SECRET, 'p1', NOW - 20);
		expect(body).not.toContain('evt_a');
		expect(receivePersist(received(body, headers), [SECRET], NOW)).toEqual({
			kind: 'keys',
			keys: keys('evt_a', 'evt_b'),
		});
	});

	it('reads the ids a process of an earlier version sends, as their keys', () => {
		const body = JSON.stringify({ ids: ['evt_a', NOW, 'evt_b', NOW] });
		const signed = signedRequest(body, { id: 'p0', secret: SECRET, at: new Date(NOW * 1000) });
		expect(receivePersist(signed, [SECRET], NOW)).toEqual({
			kind: 'keys',
			keys: keys('evt_a', 'evt_b'),
		});
	});

	it('accepts the key of the previous secret during a rotation', () => {
		const previous = channelSecret('previous secret', 'persist', 'workflow-1', 'node-1');
		const { body, headers } = signedPersistRequest(keys('evt_a'), previous, 'p2', NOW);
		expect(receivePersist(received(body, headers), [SECRET, previous], NOW).kind).toBe('keys');
	});

	it.each([
		['another node', channelSecret('signing secret', 'persist', 'workflow-1', 'node-2')],
		['another channel', channelSecret('signing secret', 'publish', 'workflow-1', 'node-1')],
	])('refuses a request signed with the key of %s with 401', (_case, key) => {
		const { body, headers } = signedPersistRequest(keys('evt_a'), key, 'p3', NOW);
		expect(receivePersist(received(body, headers), [SECRET], NOW)).toMatchObject({
			kind: 'unverified',
			answer: { status: 401, body: { error: 'signature_mismatch' } },
		});
	});

	it('refuses a replay older than the tolerance', () => {
		const { body, headers } = signedPersistRequest(keys('evt_a'), SECRET, 'p4', NOW - 600);
		expect(receivePersist(received(body, headers), [SECRET], NOW)).toMatchObject({
			kind: 'unverified',
			answer: { status: 401, body: { error: 'timestamp_out_of_tolerance' } },
		});
	});

	it.each(['not json', '{"ids":"evt_a"}', '{"keys":["evt_a"]}', '[]', 'null'])(
		'answers 400 invalid_request to a signed body without keys or an id list: %s',
		(body) => {
			const signed = signedRequest(body, { id: 'p5', secret: SECRET, at: new Date(NOW * 1000) });
			expect(receivePersist(signed, [SECRET], NOW)).toMatchObject({
				kind: 'invalid_body',
				answer: { status: 400, body: { error: 'invalid_request' } },
			});
		},
	);
});
