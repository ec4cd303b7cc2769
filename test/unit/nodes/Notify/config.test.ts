import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { retryStateKey, sealRetryState } from '../../../../lib/delivery/retryState';
import { readRunSettings } from '../../../../nodes/Notify/config';
import { Notify } from '../../../../nodes/Notify/Notify.node';
import { prepareEvent } from '../../../../nodes/Notify/prepareEvent';
import { executeContext } from '../../support/n8nContexts';
import { whsec } from '../../../support/events.cjs';

const notify = new Notify();

const SECRET = whsec('notify config unit secret, 32 b');

/** An execution context with the given parameters (else their defaults) and input items. */
function contextWith(
	parameters: IDataObject,
	items: INodeExecutionData[] = [{ json: {} }],
	secret = SECRET,
): IExecuteFunctions {
	const all: IDataObject = {
		eventType: 'order.created',
		'destinations.destination': [{ url: 'https://a.example/hook' }],
		...parameters,
	};
	return executeContext(notify, { parameters: all, items, credentials: { secret } }).context;
}

async function misconfiguration(
	parameters: IDataObject,
	items?: INodeExecutionData[],
	secret?: string,
): Promise<unknown> {
	const context = contextWith(parameters, items, secret);
	try {
		prepareEvent(context, 0, await readRunSettings(context));
	} catch (error) {
		return error;
	}
	throw new Error('The configuration was accepted');
}

const circular: IDataObject = {};
circular.self = circular;

/** A retry state sealed as Notify seals it for unsigned events, owed to `url`. */
function retryItem(url: string): INodeExecutionData {
	const retry = sealRetryState(
		{
			eventId: 'evt-1',
			type: 'order.created',
			body: '{}',
			round: 1,
			nextAttemptAt: new Date().toISOString(),
			owed: [{ url, headers: {}, attempts: 1, history: [] }],
		},
		retryStateKey(null),
	);
	return { json: { retry } };
}

describe('the config reader', () => {
	it('accepts the defaults, with destinations and an event type', async () => {
		const context = contextWith({});
		const settings = await readRunSettings(context);
		expect(settings).toMatchObject({
			operation: 'sendEvent',
			format: 'standardWebhooks',
			retryMode: 'inRun',
			concurrency: 10,
			timeoutMs: 10_000,
			reuseConnections: true,
			policy: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 },
		});
		expect(prepareEvent(context, 0, settings).destinations).toEqual([
			{ url: 'https://a.example/hook', headers: {} },
		]);
	});

	it.each<[string, IDataObject, INodeExecutionData[]?, string?]>([
		['an option out of bounds', { options: { maxAttempts: 0 } }],
		['a malformed secret', {}, undefined, 'whsec_***'],
		['an unreadable retry schedule', { retryMode: 'retryLater', retrySchedule: 'soon' }],
		['an invalid destination', { 'destinations.destination': [{ url: 'ftp://a.example/' }] }],
		['an empty event type', { eventType: ' ' }],
		['an empty session ID', { eventFormat: 'flowSession', sessionId: '' }],
		['data JSON cannot express', { eventData: circular }],
		['a changed retry state', { retryMode: 'retryLater' }, [{ json: { retry: {} } }]],
		[
			'a retry owed to a destination now refused',
			{ retryMode: 'retryLater', signing: 'none' },
			[retryItem('https://user:password@a.example/')],
		],
	])('refuses %s with a NodeOperationError that says what to do', async (_, ...setup) => {
		const error = await misconfiguration(...setup);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).description).toEqual(expect.stringMatching(/\w/));
	});
});

describe('signing secrets per node version', () => {
	const settingsFor = (typeVersion: number, secret: string) =>
		readRunSettings(
			executeContext(notify, {
				parameters: {
					signing: 'stripe',
					eventType: 'order.created',
					'destinations.destination': [{ url: 'https://a.example/hook' }],
				},
				credentials: { secret },
				typeVersion,
			}).context,
		);

	it("signs with a Stripe secret as text on version 2, as Stripe's receivers read it", async () => {
		const stripeShaped = `whsec_${'Wb2qJ6N4ZcT8xKp3'.repeat(2)}`;
		const settings = await settingsFor(2, stripeShaped);
		expect(settings.signing).toEqual({ scheme: { kind: 'stripe' }, secret: stripeShaped });
		expect(settings.stateKeys).toHaveLength(1);
	});

	it('keeps version 1 decoding a whsec_ secret, and refusing one that is not base64', async () => {
		expect((await settingsFor(1, SECRET)).signing?.scheme).toEqual({
			kind: 'stripe',
			secretEncoding: 'whsecOrText',
		});
		await expect(settingsFor(1, 'whsec_***')).rejects.toThrow(NodeOperationError);
		await expect(settingsFor(2, 'whsec_***')).resolves.toBeDefined();
	});
});
