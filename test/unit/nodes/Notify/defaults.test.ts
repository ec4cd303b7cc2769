import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { DEFAULT_RETRY_SCHEDULE } from '../../../../lib/delivery/retrySchedule';
import { NOTIFY_DEFAULTS } from '../../../../nodes/Notify/defaults';
import { Notify } from '../../../../nodes/Notify/Notify.node';

type Defaults = { [name: string]: unknown };

/**
 * Every default the description declares, by path: a field's own default, and for a collection
 * its fields' defaults under its name (a fixed collection's also under the group's name), next to
 * the collection's own default, which must be empty. Notices show text and hold no value.
 */
function declaredDefaults(
	properties: INodeProperties[],
	path: string[] = [],
): Map<string, unknown> {
	const found = new Map<string, unknown>();
	for (const property of properties) {
		if (property.type === 'notice') continue;
		const at = [...path, property.name];
		if (property.type === 'collection' || property.type === 'fixedCollection') {
			expect({ [at.join('.')]: property.default }).toEqual({ [at.join('.')]: {} });
			for (const option of property.options ?? []) {
				const nested =
					property.type === 'fixedCollection'
						? declaredDefaults((option as INodePropertyCollection).values, [
								...at,
								(option as INodePropertyCollection).name,
							])
						: declaredDefaults([option as INodeProperties], at);
				nested.forEach((value, key) => found.set(key, value));
			}
		} else {
			found.set(at.join('.'), property.default);
		}
	}
	return found;
}

function objectDefaults(defaults: Defaults, path: string[] = []): Map<string, unknown> {
	const found = new Map<string, unknown>();
	for (const [name, value] of Object.entries(defaults)) {
		const at = [...path, name];
		if (typeof value === 'object' && value !== null)
			objectDefaults(value as Defaults, at).forEach((nested, key) => found.set(key, nested));
		else found.set(at.join('.'), value);
	}
	return found;
}

describe('NOTIFY_DEFAULTS', () => {
	it('holds exactly the defaults the node description declares', () => {
		const declared = declaredDefaults(new Notify().description.properties);
		expect(Object.fromEntries(objectDefaults(NOTIFY_DEFAULTS))).toEqual(
			Object.fromEntries(declared),
		);
	});

	it('keeps the delivery options short enough for a run to wait through', () => {
		expect(NOTIFY_DEFAULTS.options).toEqual({
			concurrency: 10,
			maxAttempts: 5,
			baseDelayMs: 1000,
			maxDelayMs: 60_000,
			timeoutMs: 10_000,
			reuseConnections: true,
		});
	});

	it("retries later on Svix's schedule, the one the schedule's messages cite", () => {
		expect(NOTIFY_DEFAULTS.retrySchedule).toBe(DEFAULT_RETRY_SCHEDULE);
	});
});
