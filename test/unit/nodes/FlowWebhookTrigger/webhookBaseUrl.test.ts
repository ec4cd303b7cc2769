import type { IDataObject } from 'n8n-workflow';

import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { PERSIST_WEBHOOK } from '../../../../nodes/FlowWebhookTrigger/persistWebhook';
import { wasSeen } from '../../../../lib/store/dedup';
import { eventKey, fromPersisted, fromStored } from '../../../../lib/store/eventKeys';
import { replaceGlobalFetch } from '../../support/globalFetch.cjs';
import { webhookContext, webhookProcess } from '../../support/n8nContexts';
import { signedRequest, whsec } from '../../../support/events.cjs';

// Where the trigger saves its duplicate record: through its own persist webhook, at n8n's webhook
// URL or, when n8n cannot reach that, under Options › Webhook Base URL; and what it logs when a
// save fails.

const signer = whsec('base url test signing material!!');
const trigger = new FlowWebhookTrigger();
/** n8n's public webhook address (from WEBHOOK_URL), which n8n itself may not reach. */
const PUBLIC_WEBHOOKS = 'https://n8n.example.com/webhook';
/** The persist webhook's path under a webhook base: the node's webhook id, then "persist". */
const PERSIST_PATH = 'generated-webhook-id/persist';

type PersistProcess = ReturnType<typeof webhookProcess>;

let restoreFetch: (() => void) | undefined;

/** How many save requests `persist` has answered (or failed). */
interface Answered {
	count: number;
}

/** Sends the trigger's saves to `persist` in place of the network. */
function saveThrough(persist: PersistProcess): Answered {
	const answered = { count: 0 };
	restoreFetch = replaceGlobalFetch(async (input, init) => {
		try {
			return await persist.client(input, init);
		} finally {
			answered.count++;
		}
	});
	return answered;
}

afterEach(() => restoreFetch?.());

/**
 * A signed event `id` that trigger node `nodeId` accepts and n8n answers 202 (the run is stored),
 * which starts a save; returns what the trigger logs in that request's context, saves included.
 */
async function acceptAndStore(
	id: string,
	nodeId: string,
	options: IDataObject = {},
): Promise<string[]> {
	const delivery = webhookContext(trigger, {
		credentials: { secret: signer },
		parameters: { options },
		request: signedRequest({ type: 'x' }, { id, secret: signer }),
		nodeId,
		n8nWebhookBaseUrl: PUBLIC_WEBHOOKS,
	});
	await trigger.webhook.call(delivery.context);
	delivery.finishExchange(202);
	return delivery.logged;
}

/**
 * Waits until `count` save requests have been answered, and lets the last save finish: it goes on
 * in a few promise steps after the answer, without timers.
 */
async function untilSaved(answered: Answered, count: number): Promise<void> {
	for (let step = 0; step < 1000 && answered.count < count; step++) await Promise.resolve();
	for (let step = 0; step < 20; step++) await Promise.resolve();
	expect(answered.count).toBe(count);
}

/** Whether the static data `stored` holds the saved duplicate record remembers `id`. */
function remembers(stored: IDataObject, id: string): boolean {
	const now = Math.floor(Date.now() / 1000);
	const window = { retentionSeconds: 3600, maxEntries: 100 };
	return wasSeen(fromStored(stored), eventKey(id), now, window);
}

describe("the trigger's saves of its duplicate record", () => {
	it("go to n8n's own webhook URL when Webhook Base URL is not set", async () => {
		const persist = webhookProcess(trigger, PERSIST_WEBHOOK, { deliveries: [200] });
		const answered = saveThrough(persist);
		await acceptAndStore('evt_default_url', 'default-url-node');
		await untilSaved(answered, 1);
		expect(persist.requests[0].url).toBe(`${PUBLIC_WEBHOOKS}/${PERSIST_PATH}`);
	});

	it('go under Webhook Base URL when it is set, and the ids are saved there', async () => {
		const persist = webhookProcess(trigger, PERSIST_WEBHOOK, {
			credentials: { secret: signer },
			nodeId: 'base-url-node',
		});
		const answered = saveThrough(persist);
		const options = { webhookBaseUrl: ' http://localhost:5678/webhook/ ' };
		await acceptAndStore('evt_base_url', 'base-url-node', options);
		await untilSaved(answered, 1);
		expect(persist.requests[0].url).toBe(`http://localhost:5678/webhook/${PERSIST_PATH}`);
		expect(remembers(persist.stored, 'evt_base_url')).toBe(true);
		// The save carries the id's key, as the record keeps it, and not the id.
		const sent = fromPersisted(JSON.parse(persist.requests[0].body));
		expect([...(sent?.keys() ?? [])]).toEqual([eventKey('evt_base_url')]);
	});
});

describe('saves of a node whose settings change', () => {
	// A node's saves start at most once a second: the clock is moved on between events.
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('follow a new Webhook Base URL at once', async () => {
		const persist = webhookProcess(trigger, PERSIST_WEBHOOK, { deliveries: [200, 200] });
		const answered = saveThrough(persist);
		const accept = async (id: string, webhookBaseUrl: string, saves: number) => {
			await acceptAndStore(id, 'moved-base-node', { webhookBaseUrl });
			await jest.advanceTimersByTimeAsync(1000);
			await untilSaved(answered, saves);
		};
		await accept('evt_first_base', 'http://first:5678/webhook', 1);
		await accept('evt_second_base', 'http://second:5678/webhook', 2);
		expect(persist.requests.map(({ url }) => url)).toEqual([
			`http://first:5678/webhook/${PERSIST_PATH}`,
			`http://second:5678/webhook/${PERSIST_PATH}`,
		]);
	});
});

describe('a save that fails', () => {
	// A node's saves start at most once a second: the clock is moved on between events.
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('logs once per streak of failures a warning that says what it means and what to set', async () => {
		const persist = webhookProcess(trigger, PERSIST_WEBHOOK, {
			deliveries: ['refuseConnection', 'refuseConnection', 'reach', 'refuseConnection'],
			credentials: { secret: signer },
			nodeId: 'failing-save-node',
		});
		const answered = saveThrough(persist);
		const logs: string[][] = [];
		const warnings = () => logs.flat();
		const accept = async (id: string, saves: number) => {
			logs.push(await acceptAndStore(id, 'failing-save-node'));
			await jest.advanceTimersByTimeAsync(1000);
			await untilSaved(answered, saves);
		};

		await accept('evt_unsaved_1', 1);
		expect(warnings()).toHaveLength(1);
		const [warning] = warnings();
		expect(warning).toContain(`${PUBLIC_WEBHOOKS}/${PERSIST_PATH}`);
		expect(warning).toContain('Options › Webhook Base URL');
		expect(warning).toContain('http://localhost:5678/webhook');
		expect(warning).toContain('WEBHOOK_URL reachable');
		expect(warning).toMatch(/events are safe/);
		expect(warning).toMatch(/only this n8n process recognises their redeliveries as duplicates/);
		expect(warning).not.toContain(signer);

		await accept('evt_unsaved_2', 2);
		expect(warnings()).toHaveLength(1);
		// The save that succeeds carries the ids of the failed ones too, and ends the streak.
		await accept('evt_saved', 3);
		expect(
			['evt_unsaved_1', 'evt_unsaved_2', 'evt_saved'].map((id) => remembers(persist.stored, id)),
		).toEqual([true, true, true]);
		await accept('evt_unsaved_3', 4);
		expect(warnings()).toHaveLength(2);
	});
});
