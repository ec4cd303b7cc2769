import type { INodeProperties } from 'n8n-workflow';

import { FlowWebhookTrigger } from '../../../../nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
import { TRIGGER_DEFAULTS } from '../../../../nodes/FlowWebhookTrigger/defaults';
import { schemeProperties } from '../../../../lib/n8n/schemeProperties';
import { securityCollection } from '../../../../lib/n8n/securityProperties';

/** Every default a list of properties declares, by name; a collection's by option name. */
function declaredDefaults(properties: INodeProperties[]): Record<string, unknown> {
	const defaults: Record<string, unknown> = {};
	for (const property of properties) {
		if (property.type === 'notice') continue;
		if (property.type === 'collection') {
			expect(property.default).toEqual({});
			defaults[property.name] = declaredDefaults(property.options as INodeProperties[]);
		} else {
			defaults[property.name] = property.default;
		}
	}
	return defaults;
}

describe('the trigger defaults', () => {
	const { properties } = new FlowWebhookTrigger().description;
	// Groups other nodes share keep their defaults where they are built, in lib/n8n.
	const shared = [
		...schemeProperties('verification', 'sender'),
		securityCollection({ callers: 'senders', tokens: false }),
	];
	const sharedNames = new Set(shared.map((property) => property.name));
	const own = properties.filter((property) => !sharedNames.has(property.name));

	it('are the defaults of every parameter the node declares itself, options included', () => {
		expect(declaredDefaults(own)).toEqual(TRIGGER_DEFAULTS);
	});

	it('leave out only the shared groups, which the node declares exactly as built', () => {
		expect(properties.filter((property) => sharedNames.has(property.name))).toEqual(shared);
	});
});
