import type { INodeProperties } from 'n8n-workflow';

import { ExternalDataProvider } from '../../../../nodes/ExternalDataProvider/ExternalDataProvider.node';
import { PROVIDER_DEFAULTS } from '../../../../nodes/ExternalDataProvider/defaults';
import {
	readAllowedOrigins,
	readProviderOptions,
	readServeConfig,
} from '../../../../nodes/ExternalDataProvider/config';
import { SECURITY_PARAMETER } from '../../../../lib/n8n/security';
import { webhookContext } from '../../support/n8nContexts';

const provider = new ExternalDataProvider();
const { properties } = provider.description;

// Notices hold no value; the Security collection's defaults are shared with the trigger.
const ownParameters = properties.filter(
	(property) => property.type !== 'notice' && property.name !== SECURITY_PARAMETER,
);

function defaultsOf(collection: INodeProperties): Record<string, unknown> {
	const options = (collection.options ?? []) as INodeProperties[];
	return Object.fromEntries(options.map((option) => [option.name, option.default]));
}

describe('PROVIDER_DEFAULTS', () => {
	it("holds exactly the description's parameters, each with the description's default", () => {
		const described = Object.fromEntries(
			ownParameters.map((property) => [
				property.name,
				property.type === 'collection' ? defaultsOf(property) : property.default,
			]),
		);
		expect(described).toEqual(PROVIDER_DEFAULTS);
	});

	it('leaves every collection empty until an option is added', () => {
		const collections = properties.filter((property) => property.type === 'collection');
		expect(collections.map((collection) => collection.name)).toEqual(['options', 'security']);
		for (const collection of collections) expect(collection.default).toEqual({});
	});
});

describe('config.ts', () => {
	// Literals, not PROVIDER_DEFAULTS: the values users rely on, so a changed default fails here.
	it('falls back to the defaults for every parameter a GET reads and n8n left out', async () => {
		const { context } = webhookContext(provider);
		expect(readAllowedOrigins(readProviderOptions(context))).toEqual({ kind: 'none' });
		expect(await readServeConfig(context, readProviderOptions(context))).toEqual({
			access: { kind: 'none' },
			cacheControl: 'no-cache',
			query: { maxPageSize: 1000, extraFormats: [] },
			emptyShape: 'list',
			listWrap: null,
		});
	});
});
