import { readHeader, type HeaderBag } from '../http/headers';

import type { PublishedDataset } from './publish';
import type { PageQuery } from './query';

export interface Validators {
	etag: string;
	lastModified: string;
}

/**
 * A strong ETag built from what decides the body: the data (version and digest, both fixed at
 * publish time), how it is served (`servedAs`: empty for the list itself, else which object holds
 * it) and the page and format asked for. The data is not hashed per request.
 */
export function validatorsFor(
	dataset: PublishedDataset,
	page: PageQuery,
	servedAs = '',
): Validators {
	const served = servedAs === '' ? '' : `${servedAs}-`;
	return {
		etag: `"${dataset.version}-${dataset.digest}-${served}${page.format}-${page.offset}-${page.limit}"`,
		// Before the first publish, the data has never changed: the Unix epoch says so.
		lastModified: new Date(dataset.lastUpdated ?? 0).toUTCString(),
	};
}

/**
 * Whether a conditional GET can be answered 304 (RFC 9110 §13.2.2): If-None-Match decides when
 * present, compared weakly as the RFC requires; otherwise If-Modified-Since, to the second.
 */
export function isNotModified(headers: HeaderBag, { etag, lastModified }: Validators): boolean {
	const ifNoneMatch = readHeader(headers, 'if-none-match');
	if (ifNoneMatch !== undefined) return ifNoneMatch === '*' || listsTag(ifNoneMatch, etag);
	const ifModifiedSince = readHeader(headers, 'if-modified-since');
	if (ifModifiedSince === undefined) return false;
	const since = Date.parse(ifModifiedSince);
	return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

function listsTag(list: string, etag: string): boolean {
	return list.split(',').some((candidate) => {
		const tag = candidate.trim();
		return (tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
	});
}
