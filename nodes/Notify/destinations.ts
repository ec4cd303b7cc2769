import type { IExecuteFunctions } from 'n8n-workflow';

import {
	resolveDestinations,
	type Destination,
	type DestinationInput,
} from '../../lib/delivery/destinations';
import { misconfigurationError } from '../../lib/n8n/respond';

import type { RunSettings } from './config';

interface DestinationRow {
	url?: unknown;
	headers?: { header?: DestinationInput['headers'] };
}

const DESTINATION_RULES =
	'Each destination needs its own http:// or https:// URL, without a user name or password in it. Extra headers need a valid name, once each, and may not be one Notify sets itself (Content-Type, User-Agent, the signature headers).';

/** The destinations, validated; throws NodeOperationError naming the first problem after `messagePrefix`. */
export function checkedDestinations(
	context: IExecuteFunctions,
	inputs: DestinationInput[],
	{
		settings,
		itemIndex,
		messagePrefix,
	}: { settings: RunSettings; itemIndex: number; messagePrefix: string },
): Destination[] {
	const resolved = resolveDestinations(inputs, settings.reservedHeaders);
	if (resolved.kind === 'invalid')
		throw misconfigurationError(
			context,
			`${messagePrefix}${resolved.message}`,
			DESTINATION_RULES,
			itemIndex,
		);
	return resolved.destinations;
}

/** The destinations one item's parameters name. */
export function readDestinations(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
): Destination[] {
	const rows = context.getNodeParameter(
		'destinations.destination',
		itemIndex,
		[],
	) as DestinationRow[];
	return checkedDestinations(
		context,
		rows.map((row) => ({ url: row.url, headers: row.headers?.header })),
		{ settings, itemIndex, messagePrefix: '' },
	);
}
