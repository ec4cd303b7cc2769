import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import type { EventReport } from '../../../../lib/delivery/report';
import { applyErrorPolicy } from '../../../../nodes/Notify/errorPolicy';
import { Notify } from '../../../../nodes/Notify/Notify.node';
import { executeContext } from '../../support/n8nContexts';

const notify = new Notify();

const node = { name: 'Notify', parameters: {} } as INode;

/** The On Error setting as n8n exposes it to a node: continueOnFail() and the node's onError. */
function contextWith(onError: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput') {
	return executeContext(notify, { onError }).context;
}

const delivery = (url: string, ok: boolean) => ({
	url,
	ok,
	status: ok ? 200 : 500,
	attempts: 1,
	durationMs: 1,
	error: ok ? null : 'HTTP 500',
	responseBody: '',
	history: [],
});
const sentReport: EventReport = {
	eventId: 'e1',
	type: 't',
	deliveries: [delivery('https://a.example/', true)],
};
const failedReport: EventReport = {
	eventId: 'e2',
	type: 't',
	deliveries: [delivery('https://a.example/', true), delivery('https://b.example/', false)],
};
const run = {
	kind: 'run' as const,
	reports: [
		{ itemIndex: 0, report: sentReport },
		{ itemIndex: 1, report: failedReport },
	],
};
const failedMessage =
	'1 of 2 deliveries of event e2 failed: https://b.example/: HTTP 500 (1 attempt)';

describe('applyErrorPolicy: an item whose event cannot be built', () => {
	const configError = new NodeOperationError(node, 'The event type is empty.', { itemIndex: 2 });

	it('stops the run with its error unless the node continues on fail', () => {
		expect(() =>
			applyErrorPolicy(contextWith('stopWorkflow'), {
				kind: 'item',
				itemIndex: 2,
				error: configError,
			}),
		).toThrow(configError);
	});

	it('wraps any other error in a NodeOperationError for its item', () => {
		const call = () =>
			applyErrorPolicy(contextWith('stopWorkflow'), {
				kind: 'item',
				itemIndex: 1,
				error: new Error('Invalid expression'),
			});
		expect(call).toThrow(NodeOperationError);
		expect(call).toThrow(expect.objectContaining({ context: { itemIndex: 1 } }));
	});

	it.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'with %s, becomes an item holding the error alone',
		(onError) => {
			expect(
				applyErrorPolicy(contextWith(onError), { kind: 'item', itemIndex: 2, error: configError }),
			).toEqual([{ error: 'The event type is empty.' }]);
		},
	);
});

describe('applyErrorPolicy: the deliveries of a run', () => {
	it('stops the run with one API error counting every delivery, unless the node continues on fail', () => {
		expect(() => applyErrorPolicy(contextWith('stopWorkflow'), run)).toThrow(
			expect.objectContaining({
				constructor: NodeApiError,
				message: '1 of 3 deliveries failed: https://b.example/ (HTTP 500)',
			}),
		);
	});

	it('passes the reports through when every delivery succeeded', () => {
		const allSent = { kind: 'run' as const, reports: [run.reports[0]] };
		expect(applyErrorPolicy(contextWith('stopWorkflow'), allSent)).toEqual([sentReport]);
	});

	it('with Continue On Fail, adds the error to the report of an item whose delivery failed', () => {
		expect(applyErrorPolicy(contextWith('continueRegularOutput'), run)).toEqual([
			sentReport,
			{ ...failedReport, error: failedMessage },
		]);
	});

	it('with an error output, puts the report in details next to the error', () => {
		expect(applyErrorPolicy(contextWith('continueErrorOutput'), run)).toEqual([
			sentReport,
			{ error: failedMessage, details: failedReport },
		]);
	});
});
