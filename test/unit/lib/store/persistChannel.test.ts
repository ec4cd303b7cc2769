import { channelSecret } from '../../../../lib/signing/channelSecret';
import { receivePersist, signedPersistRequest } from '../../../../lib/store/persistChannel';
import { signedRequest } from '../../../support/events.cjs';

const SECRET = channelSecret('signing secret', 'persist', 'workflow-1', 'node-1');
const NOW = 1_700_000_000;

function received(body: string, headers: Record<string, string>) {
	return { headers, rawBody: Buffer.from(body) };
}

describe('the persist channel (ids of stored runs, handed to the node’s own webhook)', () => {
	it('carries the ids with the times they were accepted, for a request signed with the node’s key', () => {
		const { body, headers } = signedPersistRequest(
			['evt_a', NOW, 'evt_b', NOW + 1],
			SECRET,
			'p1',
			NOW,
		);
		expect(receivePersist(received(body, headers), [SECRET], NOW)).toEqual({
			kind: 'ids',
			ids: new Map([
				['evt_a', NOW],
				['evt_b', NOW + 1],
			]),
		});
	});

	it('accepts the key of the previous secret during a rotation', () => {
		const previous = channelSecret('previous secret', 'persist', 'workflow-1', 'node-1');
		const { body, headers } = signedPersistRequest(['evt_a', NOW], previous, 'p2', NOW);
		expect(receivePersist(received(body, headers), [SECRET, previous], NOW).kind).toBe('ids');
	});

	it.each([
		['another node', channelSecret('signing secret', 'persist', 'workflow-1', 'node-2')],
		['another channel', channelSecret('signing secret', 'publish', 'workflow-1', 'node-1')],
	])('refuses a request signed with the key of %s with 401', (_case, key) => {
		const { body, headers } = signedPersistRequest(['evt_a', NOW], key, 'p3', NOW);
		expect(receivePersist(received(body, headers), [SECRET], NOW)).toMatchObject({
			kind: 'unverified',
			answer: { status: 401, body: { error: 'signature_mismatch' } },
		});
	});

	it('refuses a replay older than the tolerance', () => {
		const { body, headers } = signedPersistRequest(['evt_a', NOW], SECRET, 'p4', NOW - 600);
		expect(receivePersist(received(body, headers), [SECRET], NOW)).toMatchObject({
			kind: 'unverified',
			answer: { status: 401, body: { error: 'timestamp_out_of_tolerance' } },
		});
	});

	it.each(['not json', '{"ids":"evt_a"}', '[]'])(
		'answers 400 invalid_request to a signed body without an id list: %s',
		(body) => {
			const signed = signedRequest(body, { id: 'p5', secret: SECRET, at: new Date(NOW * 1000) });
			expect(receivePersist(signed, [SECRET], NOW)).toMatchObject({
				kind: 'invalid_body',
				answer: { status: 400, body: { error: 'invalid_request' } },
			});
		},
	);
});
