import type { PublishMode } from '../../lib/dataset/publish';
import type { ExtraFormat } from '../../lib/dataset/query';

/**
 * Every default of the provider's own parameters, read by its description and by `config.ts` where
 * a parameter may be missing. The Security collection's defaults are shared with the trigger
 * (`lib/n8n/securityProperties.ts`).
 */
export const PROVIDER_DEFAULTS = {
	path: '',
	publishMode: 'replace' as PublishMode,
	keepNewest: 100,
	servedAs: 'list' as 'list' | 'objectWithList',
	listField: 'items',
	countField: '',
	updatedField: '',
	authentication: 'none' as 'bearerToken' | 'customHeader' | 'none',
	headerName: 'X-API-Key',
	options: {
		allowedOrigins: '',
		cacheControl: 'no-cache',
		extraFormats: [] as ExtraFormat[],
		maxDatasetMb: 5,
		maxPageSize: 1000,
		webhookBaseUrl: '',
	},
};
