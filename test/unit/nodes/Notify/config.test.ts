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
			owed: [
				{ url, headers: {}, attempts: 1, history: [], firstAttemptAt: new Date().toISOString() },
			],
			delivered: [],
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

	// Each case: what is wrong, then the message naming the setting and the description saying the fix.
	it.each<[string, [RegExp, RegExp], IDataObject, INodeExecutionData[]?, string?]>([
		[
			'an option out of bounds',
			[
				/^Max Attempts must be a whole number of at least 1, not 0\.$/,
				/^Fix the value under Options/,
			],
			{ options: { maxAttempts: 0 } },
		],
		[
			'a malformed secret',
			[/^The signing secret is unusable: .*valid base64/, /fix its Secret; its Test button/],
			{},
			undefined,
			'whsec_***',
		],
		[
			"a public-key sender's scheme, which Notify cannot sign with",
			[/^Notify cannot sign as Discord Interactions: .*private key/, /^Set Signing to a scheme/],
			{ signing: 'discord' },
		],
		[
			'an unreadable retry schedule',
			[/^"soon" in the retry schedule is not a wait/, /^Under Retry Schedule, list the waits/],
			{ retryMode: 'retryLater', retrySchedule: 'soon' },
		],
		[
			'an invalid destination',
			[/^Destination 1: only http:\/\/ and https:\/\/ URLs/, /^Each destination needs its own/],
			{ 'destinations.destination': [{ url: 'ftp://a.example/' }] },
		],
		['an empty event type', [/^The event type is empty\.$/, /^Set Event Type/], { eventType: ' ' }],
		[
			'an empty session ID',
			[/^The session ID is empty/, /^Set Session ID/],
			{ eventFormat: 'flowSession', sessionId: '' },
		],
		[
			'data JSON cannot express',
			[/^The event cannot be sent as JSON: .*circular/, /no circular references/],
			{ eventData: circular },
		],
		[
			'a changed retry state',
			[/^The item's retry state is incomplete or malformed/, /^Connect Retry Later to a Wait node/],
			{ retryMode: 'retryLater' },
			[{ json: { retry: {} } }],
		],
		[
			'a retry owed to a destination now refused',
			[/^The retry of event evt-1 cannot be sent: .*user name or password/, /^Each destination/],
			{ retryMode: 'retryLater', signing: 'none' },
			[retryItem('https://user:password@a.example/')],
		],
	])('refuses %s with a NodeOperationError that says what to do', async (_, wanted, ...setup) => {
		const error = await misconfiguration(...setup);
		expect(error).toBeInstanceOf(NodeOperationError);
		const { message, description } = error as NodeOperationError;
		expect([message, description]).toEqual(wanted.map((pattern) => expect.stringMatching(pattern)));
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
