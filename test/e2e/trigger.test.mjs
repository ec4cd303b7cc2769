// Flow Webhook Trigger in a real n8n: what senders get back, and which executions n8n records.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import {
	PREVIOUS_SECRET,
	flowEvent,
	savedEventIds,
	signingCredential,
	signedRequest,
	standardWebhookHeaders,
	triggerWorkflow,
	workflowId,
} from './fixtures.mjs';
import { n8nMajor, pollUntil, startN8n } from './harness.mjs';
import { whsec } from '../support/events.cjs';

const require = createRequire(import.meta.url);
const { channelSecret } = require('../../dist/lib/signing/channelSecret.js');

const GITHUB_SECRET = 'github-style plain text secret';
const githubCredential = {
	id: 'e2eGithubSecret0',
	name: 'E2E GitHub secret',
	type: 'webhookSigningSecretApi',
	data: { secret: GITHUB_SECRET },
};

const ids = {
	signed: workflowId('triggerSigned'),
	filtered: workflowId('triggerFiltered'),
	routed: workflowId('triggerRouted'),
	strict: workflowId('triggerStrict'),
	github: workflowId('triggerGithub'),
	version1: workflowId('triggerVersion1'),
	unverified: workflowId('triggerUnverified'),
	upgraded: workflowId('triggerUpgraded'),
};

/** An id the previous version of the trigger saved, in its form: the ids themselves, packed by line. */
const EARLIER_BUILD_ID = 'msg_saved_by_an_earlier_build';

let n8n;

async function post(path, body, headers) {
	const response = await fetch(n8n.webhookUrl(path), { method: 'POST', headers, body });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

async function postSigned(path, event, options) {
	const { body, headers } = signedRequest(event, options);
	return post(path, body, headers);
}

/** Waits until the trigger's saved duplicate record in the workflow's static data holds every id. */
async function waitForSavedIds(workflow, wanted) {
	const missingIds = async () => {
		const saved = new Set(savedEventIds(await n8n.staticData(workflow), wanted));
		return wanted.filter((id) => !saved.has(id));
	};
	const missing = await pollUntil(missingIds, (ids) => ids.length === 0, { timeoutMs: 30_000 });
	assert.deepEqual(missing, [], `ids never saved: ${missing.join(', ')}`);
}

before(async () => {
	n8n = await startN8n({
		credentials: [signingCredential, githubCredential],
		workflows: [
			triggerWorkflow({
				id: ids.signed,
				path: 'signed',
				parameters: { options: { includeHeaders: true } },
			}),
			triggerWorkflow({ id: ids.version1, path: 'signed-v1', typeVersion: 1 }),
			{
				...triggerWorkflow({ id: ids.upgraded, path: 'upgraded' }),
				staticData: {
					'node:Flow Webhook Trigger': {
						seenEventIds: `${Math.floor(Date.now() / 1000)}\n0 ${EARLIER_BUILD_ID}`,
						seenEventIdsRevision: 'saved-by-an-earlier-build',
					},
				},
			},
			triggerWorkflow({
				id: ids.filtered,
				path: 'filtered',
				parameters: {
					verification: 'none',
					eventTypes: ['flow.start'],
					customEventTypes: 'order.*',
				},
			}),
			triggerWorkflow({
				id: ids.routed,
				path: 'routed',
				parameters: {
					verification: 'none',
					eventTypes: ['flow.start', 'flow.end'],
					customEventTypes: 'ping',
					routeByEventType: true,
				},
			}),
			triggerWorkflow({
				id: ids.unverified,
				path: 'unverified',
				parameters: { verification: 'none' },
			}),
			triggerWorkflow({
				id: ids.strict,
				path: 'strict',
				parameters: { verification: 'none', options: { strictFlowEvents: true, maxBodyKib: 1 } },
			}),
			{
				...triggerWorkflow({
					id: ids.github,
					path: 'github',
					parameters: { verification: 'github' },
				}),
				nodes: triggerWorkflow({
					id: ids.github,
					path: 'github',
					parameters: { verification: 'github' },
				}).nodes.map((node) =>
					node.credentials
						? {
								...node,
								credentials: {
									webhookSigningSecretApi: { id: githubCredential.id, name: githubCredential.name },
								},
							}
						: node,
				),
			},
		],
	});
});
after(() => n8n?.stop());

// n8n 1.x answers before it stores the run, whatever the node does (README: Compatibility): the
// checks that a 2xx means "stored" are reported skipped there.
const STORED_BEFORE_ANSWER = {
	skip: n8nMajor < 2 && 'n8n 1.x answers before it stores the run (README: Compatibility)',
};

/** Posts and, once a 2xx is in, counts the workflow's executions: what existed when it came. */
async function postCountingAtAnswer(workflow, path, body, headers) {
	const answer = await post(path, body, headers);
	if (answer.status >= 300) return answer;
	return { ...answer, executionsAtAnswer: (await n8n.executions(workflow)).length };
}

describe('signed events (Standard Webhooks, the default)', () => {
	// What the tests below saw the moment each 2xx came in; the version-dependent checks read them.
	const seenAtAnswer = { accepted: undefined, parallel: [] };

	test('an accepted event is answered 202 with its id, and its execution holds the normalised item', async () => {
		const event = flowEvent();
		const body = JSON.stringify(event);
		const headers = standardWebhookHeaders(body, { id: 'msg_accepted_1' });
		const answer = await postCountingAtAnswer(ids.signed, 'signed', body, headers);
		assert.equal(answer.status, 202);
		assert.deepEqual(answer.body, { received: true, id: 'msg_accepted_1' });
		seenAtAnswer.accepted = answer.executionsAtAnswer;

		const [execution] = await n8n.waitForExecutions(ids.signed, 1);
		assert.equal(execution.status, 'success');
		const [[item]] = (await n8n.executionOutput(execution.id))['Flow Webhook Trigger'];
		assert.equal(item.id, 'msg_accepted_1', 'the signature id header wins over the body id');
		assert.equal(item.event, 'flow.start');
		assert.equal(item.sessionId, 'sess_42');
		assert.equal(item.flowName, 'Onboarding');
		assert.equal(item.success, true);
		assert.equal(item.created, new Date(event.created * 1000).toISOString());
		assert.deepEqual(item.metadata, { source: 'e2e' });
		assert.deepEqual(item.data, { step: 1 });
		assert.deepEqual(item.body, event);
		assert.ok(Date.parse(item.receivedAt));
		assert.equal(item.headers['webhook-id'], 'msg_accepted_1');
		assert.equal(item.headers['webhook-signature'], undefined, 'signature headers are removed');
	});

	test('the 202 is sent only once n8n stored the execution', STORED_BEFORE_ANSWER, () => {
		assert.equal(seenAtAnswer.accepted, 1, 'the execution exists when the sender reads the 202');
	});

	test('forged, replayed and unsigned requests get 401 with a reason code and start nothing', async () => {
		const event = flowEvent();
		const body = JSON.stringify(event);
		const forged = {
			...standardWebhookHeaders(body),
			'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64'),
		};
		const replayed = standardWebhookHeaders(body, { at: new Date(Date.now() - 10 * 60 * 1000) });
		const wrongSecret = standardWebhookHeaders(body, {
			secret: whsec('an attacker guessing the secret'),
		});
		const cases = [
			[forged, 'signature_mismatch'],
			[replayed, 'timestamp_out_of_tolerance'],
			[wrongSecret, 'signature_mismatch'],
			[{ 'content-type': 'application/json' }, 'missing_signature'],
			[{ ...standardWebhookHeaders(body), 'webhook-timestamp': 'soon' }, 'missing_timestamp'],
			[{ ...standardWebhookHeaders(body), 'webhook-signature': 'v1,@@@' }, 'malformed_signature'],
		];
		for (const [headers, reason] of cases) {
			const answer = await post('signed', body, headers);
			assert.equal(answer.status, 401, reason);
			assert.equal(answer.body.error, reason);
			assert.equal(typeof answer.body.message, 'string');
			assert.doesNotMatch(
				answer.text,
				/whsec_|ZW5kLXRvLWVuZC|stack|\bat \w+ \(/i,
				'nothing secret or internal leaks',
			);
		}
		const tamperedHeaders = standardWebhookHeaders(body);
		const tampered = await post('signed', body.replace('sess_42', 'sess_43'), tamperedHeaders);
		assert.equal(tampered.status, 401);
		assert.equal(tampered.body.error, 'signature_mismatch');
	});

	test('the previous secret of a rotation is still accepted', async () => {
		const signedWith = { secret: PREVIOUS_SECRET, id: 'msg_previous_secret' };
		const answer = await postSigned('signed', flowEvent(), signedWith);
		assert.deepEqual([answer.status, answer.body], [202, { received: true, id: signedWith.id }]);
		const run = await n8n.executionHolding(ids.signed, signedWith.id);
		assert.equal(run?.status, 'success', 'the event ran');
	});

	test('bad bodies are answered 400 and 413 after the signature checks out', async () => {
		const notJson = 'this is { not json';
		const cloudEvent = {
			...standardWebhookHeaders(notJson),
			'content-type': 'application/cloudevents+json',
		};
		const invalid = await post('signed', notJson, cloudEvent);
		assert.deepEqual([invalid.status, invalid.body.error], [400, 'invalid_json']);
		assert.doesNotMatch(invalid.text, /not json/, 'the body is never echoed');

		const text = await post('signed', notJson, {
			...standardWebhookHeaders(notJson),
			'content-type': 'text/plain',
		});
		assert.deepEqual([text.status, text.body.error], [400, 'invalid_json']);

		// n8n's own body parser answers malformed application/json with 422 before any node runs.
		const plainJson = await post('signed', notJson, standardWebhookHeaders(notJson));
		assert.equal(plainJson.status, 422);

		const tooBig = JSON.stringify(flowEvent({ data: 'x'.repeat(1024 * 1024) }));
		const large = await post('signed', tooBig, standardWebhookHeaders(tooBig));
		assert.deepEqual([large.status, large.body.error], [413, 'payload_too_large']);
	});

	test('application/*+json bodies are accepted', async () => {
		const body = JSON.stringify(flowEvent());
		const answer = await post('signed', body, {
			...standardWebhookHeaders(body, { id: 'msg_cloudevents' }),
			'content-type': 'application/cloudevents+json',
		});
		assert.deepEqual(
			[answer.status, answer.body],
			[202, { received: true, id: 'msg_cloudevents' }],
		);
		const run = await n8n.executionHolding(ids.signed, 'msg_cloudevents');
		assert.equal(run?.status, 'success', 'the event ran');
	});

	test('a workflow saved with version 1 of the node verifies, deduplicates and accepts application/*+json alike', async () => {
		const body = JSON.stringify(flowEvent());
		const headers = standardWebhookHeaders(body, { id: 'msg_version_1' });
		assert.equal((await post('signed-v1', body, headers)).status, 202);
		const again = await post('signed-v1', body, headers);
		assert.deepEqual([again.status, again.body], [200, { received: true, duplicate: true }]);
		const forged = await post('signed-v1', body, { ...headers, 'webhook-id': 'msg_other' });
		assert.equal(forged.status, 401);
		const other = JSON.stringify(flowEvent());
		const typed = await post('signed-v1', other, {
			...standardWebhookHeaders(other),
			'content-type': 'application/cloudevents+json',
		});
		assert.equal(typed.status, 202);
		const executions = await n8n.waitForExecutions(ids.version1, 2);
		assert.equal(executions.length, 2);
	});

	test('a redelivery of an accepted event answers 200 duplicate and starts nothing, even after a restart', async () => {
		const event = flowEvent();
		const first = await postSigned('signed', event, { id: 'msg_dup_1' });
		assert.equal(first.status, 202);
		const again = await postSigned('signed', event, { id: 'msg_dup_1' });
		assert.deepEqual([again.status, again.body], [200, { received: true, duplicate: true }]);
		// Ten more accepted at once: n8n saves static data per request, last save wins.
		const burst = Array.from({ length: 10 }, (_, index) => [flowEvent(), `msg_burst_${index}`]);
		const accepted = await Promise.all(
			burst.map(([burstEvent, id]) => postSigned('signed', burstEvent, { id })),
		);
		assert.deepEqual(
			accepted.map((answer) => answer.status),
			Array(10).fill(202),
		);
		await n8n.waitForExecutions(ids.signed, 14);
		// n8n saves the ids of stored runs moments after answering: wait for them before restarting.
		await waitForSavedIds(ids.signed, ['msg_dup_1', ...burst.map(([, id]) => id)]);

		await n8n.restart();
		const afterRestart = await postSigned('signed', event, { id: 'msg_dup_1' });
		assert.deepEqual(
			[afterRestart.status, afterRestart.body],
			[200, { received: true, duplicate: true }],
		);
		const replays = await Promise.all(
			burst.map(([burstEvent, id]) => postSigned('signed', burstEvent, { id })),
		);
		assert.deepEqual(
			replays.map((answer) => answer.body.duplicate),
			Array(10).fill(true),
			'every id accepted before the restart is still remembered',
		);
	});

	test('ids an earlier version saved still stop redeliveries after an upgrade, and are rewritten as keys', async () => {
		const redelivery = await postSigned('upgraded', flowEvent(), { id: EARLIER_BUILD_ID });
		assert.deepEqual(
			[redelivery.status, redelivery.body],
			[200, { received: true, duplicate: true }],
		);
		// That verified request started no run, so n8n saved the static data it rewrote.
		const record = await pollUntil(
			async () => (await n8n.staticData(ids.upgraded))?.['node:Flow Webhook Trigger'],
			(stored) => stored?.seenEventKeys !== undefined,
			{ timeoutMs: 30_000 },
		);
		assert.equal(record.seenEventIds, undefined, 'the ids themselves are no longer stored');
		assert.deepEqual(savedEventIds(await n8n.staticData(ids.upgraded), [EARLIER_BUILD_ID]), [
			EARLIER_BUILD_ID,
		]);
		assert.equal((await n8n.executions(ids.upgraded)).length, 0);
	});

	test('20 identical deliveries at once start exactly one execution, and none but the first gets a 2xx before it is stored', async () => {
		const event = flowEvent();
		const body = JSON.stringify(event);
		const headers = standardWebhookHeaders(body, { id: 'msg_parallel_1' });
		const before = (await n8n.executions(ids.signed)).length;
		const answers = await Promise.all(
			Array.from({ length: 20 }, () => postCountingAtAnswer(ids.signed, 'signed', body, headers)),
		);
		const accepted = answers.filter((answer) => answer.status === 202);
		assert.deepEqual(
			accepted.map((answer) => answer.body),
			[{ received: true, id: 'msg_parallel_1' }],
		);
		for (const answer of answers.filter((answer) => answer.status !== 202)) {
			// Either the first was already stored (200 duplicate), or it was still being stored.
			if (answer.status === 200) assert.deepEqual(answer.body, { received: true, duplicate: true });
			else assert.deepEqual([answer.status, answer.body.error], [409, 'delivery_in_progress']);
		}
		seenAtAnswer.parallel = answers
			.filter((answer) => answer.status < 300)
			.map((answer) => answer.executionsAtAnswer - before);
		const retried = await post('signed', body, headers);
		assert.deepEqual([retried.status, retried.body], [200, { received: true, duplicate: true }]);
		const run = await n8n.executionHolding(ids.signed, 'msg_parallel_1');
		assert.equal(run?.status, 'success');
		assert.equal((await n8n.executions(ids.signed)).length, before + 1, 'exactly one execution');
	});

	test(
		'of those 20, every 2xx came only once the execution was stored',
		STORED_BEFORE_ANSWER,
		() => {
			assert.ok(seenAtAnswer.parallel.length >= 1, 'the parallel test saw its 202');
			assert.deepEqual(
				seenAtAnswer.parallel,
				seenAtAnswer.parallel.map(() => 1),
				'executions stored when each 2xx came in',
			);
		},
	);

	test('only accepted events became executions, all successful', async () => {
		const executions = await n8n.executions(ids.signed);
		// accepted: first test, rotation, cloudevents, dup_1, 10 in the burst, parallel_1
		assert.equal(executions.length, 15);
		assert.ok(executions.every((execution) => execution.status === 'success'));
	});
});

describe('the test URL', () => {
	test('after "Listen for test event", the test URL verifies and runs the workflow once in manual mode', async () => {
		await n8n.listenForTestEvent(ids.github, 'Flow Webhook Trigger');
		const body = JSON.stringify({ type: 'test.event' });
		const signature = 'sha256=' + createHmac('sha256', GITHUB_SECRET).update(body).digest('hex');
		const response = await fetch(n8n.testWebhookUrl('github'), {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-hub-signature-256': signature,
				'x-github-delivery': 'gh-test-1',
			},
			body,
		});
		assert.equal(response.status, 202);
		assert.deepEqual(await response.json(), { received: true, id: 'gh-test-1' });
		const [manual] = (await n8n.waitForExecutions(ids.github, 1)).filter(
			(execution) => execution.mode === 'manual',
		);
		assert.equal(manual?.status, 'success');
		assert.equal(
			(await n8n.executionOutput(manual.id))['Flow Webhook Trigger'][0][0].event,
			'test.event',
		);
	});
});

describe('filtering, routing and strict flow events', () => {
	test('events outside the filter answer 200 ignored and start nothing', async () => {
		const ignored = await post('filtered', JSON.stringify(flowEvent({ event: 'flow.end' })), {
			'content-type': 'application/json',
		});
		assert.deepEqual([ignored.status, ignored.body], [200, { received: true, ignored: true }]);
		const wildcard = await post(
			'filtered',
			JSON.stringify({ id: 'o1', type: 'order.created', data: {} }),
			{ 'content-type': 'application/json' },
		);
		assert.deepEqual([wildcard.status, wildcard.body], [202, { received: true, id: 'o1' }]);
		const exact = await post('filtered', JSON.stringify(flowEvent({ id: 'evt_exact' })), {
			'content-type': 'application/json',
		});
		assert.deepEqual([exact.status, exact.body], [202, { received: true, id: 'evt_exact' }]);
		// A sentinel sent last: once its run is stored, a run of anything sent before it would be too.
		const sentinel = await post('filtered', JSON.stringify(flowEvent({ id: 'evt_sentinel' })), {
			'content-type': 'application/json',
		});
		assert.equal(sentinel.status, 202);
		assert.equal((await n8n.executionHolding(ids.filtered, 'evt_sentinel'))?.status, 'success');
		const executions = await n8n.waitForExecutions(ids.filtered, 3);
		assert.equal((await n8n.executions(ids.filtered)).length, 3);
		assert.deepEqual(
			(await Promise.all(executions.map((execution) => n8n.executionOutput(execution.id))))
				.map((output) => output['Flow Webhook Trigger'][0][0].id)
				.sort(),
			['evt_exact', 'evt_sentinel', 'o1'],
		);
	});

	test('one output per event type: each event leaves on its own output', async () => {
		const sent = [
			flowEvent({ event: 'flow.end' }),
			flowEvent({ event: 'flow.start' }),
			{ id: 'p1', type: 'ping' },
		];
		for (const event of sent) {
			const answer = await post('routed', JSON.stringify(event), {
				'content-type': 'application/json',
			});
			assert.equal(answer.status, 202);
		}
		const executions = await n8n.waitForExecutions(ids.routed, 3);
		const outputs = (
			await Promise.all(executions.map((execution) => n8n.executionOutput(execution.id)))
		).map((output) => output['Flow Webhook Trigger']);
		const where = outputs.map((output) => {
			const index = output.findIndex((items) => items.length > 0);
			return [index, output[index][0].event];
		});
		assert.deepEqual(where, [
			[1, 'flow.end'],
			[0, 'flow.start'],
			[2, 'ping'],
		]);
	});

	test('strict flow events: incomplete ones answer 422 naming the fields', async () => {
		const answer = await post(
			'strict',
			JSON.stringify({ event: 'technology.start', created: 'yesterday' }),
			{ 'content-type': 'application/json' },
		);
		assert.equal(answer.status, 422);
		assert.equal(answer.body.error, 'invalid_event');
		assert.deepEqual(answer.body.fields, ['session_id', 'created', 'data.technology_code']);
		const notAnObject = await post('strict', '[1,2]', { 'content-type': 'application/json' });
		assert.equal(notAnObject.status, 422);
		const oversized = await post('strict', JSON.stringify(flowEvent({ data: 'x'.repeat(2000) })), {
			'content-type': 'application/json',
		});
		assert.equal(oversized.status, 413);
		const valid = await post(
			'strict',
			JSON.stringify(flowEvent({ event: 'technology.end', data: { technology_code: 'ocr' } })),
			{ 'content-type': 'application/json' },
		);
		assert.equal(valid.status, 202);
		await n8n.waitForExecutions(ids.strict, 1);
		assert.equal((await n8n.executions(ids.strict)).length, 1);
	});
});

describe('GitHub-style signatures', () => {
	test('X-Hub-Signature-256 over the raw body is verified; the delivery header is the event id', async () => {
		const body = JSON.stringify({ action: 'opened', type: 'pull_request' });
		const signature = 'sha256=' + createHmac('sha256', GITHUB_SECRET).update(body).digest('hex');
		const headers = {
			'content-type': 'application/json',
			'x-hub-signature-256': signature,
			'x-github-delivery': 'gh-delivery-1',
		};
		const ok = await post('github', body, headers);
		assert.deepEqual([ok.status, ok.body], [202, { received: true, id: 'gh-delivery-1' }]);
		const bad = await post('github', body + ' ', headers);
		assert.deepEqual([bad.status, bad.body.error], [401, 'signature_mismatch']);
		await n8n.waitForExecutions(ids.github, 2);
		assert.deepEqual((await n8n.executions(ids.github)).map((execution) => execution.mode).sort(), [
			'manual',
			'webhook',
		]);
	});
});

describe('without verification', () => {
	test('nothing a logged-in user can read saves the duplicate record: a persist signed with the instance id gets 403, duplicates are known in memory', async () => {
		// What any member of the instance can read: the instance id, the workflow and its node ids.
		const { instanceId } = await n8n.rest('GET', '/settings');
		const { nodes } = await n8n.rest('GET', `/workflows/${ids.unverified}`);
		const trigger = nodes.find(({ name }) => name === 'Flow Webhook Trigger');
		const event = flowEvent();
		const now = Math.floor(Date.now() / 1000);
		const body = JSON.stringify({ ids: [event.id, now + 10 * 365 * 24 * 3600] });
		const secret = channelSecret(instanceId, 'persist', ids.unverified, trigger.id);
		const forged = await post(
			`${trigger.webhookId}/persist`,
			body,
			standardWebhookHeaders(body, { id: 'persist_forged', secret }),
		);
		assert.equal(forged.status, 403);
		assert.equal(forged.body.error, 'not_saved');

		const json = { 'content-type': 'application/json' };
		const first = await post('unverified', JSON.stringify(event), json);
		assert.deepEqual([first.status, first.body], [202, { received: true, id: event.id }]);
		await n8n.waitForExecutions(ids.unverified, 1);
		const again = await post('unverified', JSON.stringify(event), json);
		assert.deepEqual([again.status, again.body], [200, { received: true, duplicate: true }]);
		assert.equal((await n8n.executions(ids.unverified)).length, 1);
		const staticData = JSON.stringify(await n8n.staticData(ids.unverified));
		assert.doesNotMatch(staticData, new RegExp(event.id));
	});
});
