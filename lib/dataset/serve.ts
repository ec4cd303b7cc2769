import type { HttpAnswer } from '../http/answers';
import { readHeader, type HeaderBag } from '../signing';

import { acceptedTokenKey, checkAccess, type AccessRule } from './access';
import { isNotModified, validatorsFor } from './conditional';
import { corsHeaders, type AllowedOrigins } from './cors';
import { emptyDataset, type DatasetShape, type PublishedDataset } from './publish';
import { parsePageQuery, type QuerySettings } from './query';
import { renderPage } from './render';
import { wrapTag, type ListWrap } from './wrap';

export interface DataRequest {
	/** The parsed query string (values are strings, or arrays when repeated). */
	query: Record<string, unknown>;
	headers: HeaderBag;
}

export interface ServeConfig {
	access: AccessRule;
	allowedOrigins: AllowedOrigins;
	cacheControl: string;
	query: QuerySettings;
	/** What the empty dataset looks like before the first publish (follows the publish mode). */
	emptyShape: DatasetShape;
	/** Serves a list inside an object; null serves the list itself. */
	listWrap: ListWrap | null;
}

/**
 * The answer to a GET for the published data, cheapest checks first: access, query, then the
 * conditional headers, so a 304 costs no rendering at all. Never throws on request input.
 */
export function answerDataRequest(
	request: DataRequest,
	published: PublishedDataset | undefined,
	config: ServeConfig,
): HttpAnswer {
	const answer = answerWithoutCors(request, published, config);
	const cors = corsHeaders(readHeader(request.headers, 'origin'), config.allowedOrigins);
	return { ...answer, headers: { ...answer.headers, ...cors } };
}

/**
 * What the Security checks need from a data request: the key of the accepted token it presents
 * (for a rate limit per token) and the CORS headers, so a browser can read a refusal too.
 */
export function securityDetails(
	request: DataRequest,
	config: ServeConfig,
): { tokenKey?: string; headers: Record<string, string> } {
	return {
		tokenKey: acceptedTokenKey(request.headers, config.access),
		headers: corsHeaders(readHeader(request.headers, 'origin'), config.allowedOrigins),
	};
}

function answerWithoutCors(
	request: DataRequest,
	published: PublishedDataset | undefined,
	config: ServeConfig,
): HttpAnswer {
	const denied = checkAccess(request.headers, config.access);
	if (denied) return uncacheable(denied);
	const parsed = parsePageQuery(request.query, config.query);
	if (!parsed.ok) return uncacheable(parsed.answer);
	const dataset = published ?? emptyDataset(config.emptyShape);
	const validators = validatorsFor(dataset, parsed.page, wrapTag(config.listWrap));
	const headers = {
		ETag: validators.etag,
		'Last-Modified': validators.lastModified,
		'Cache-Control': config.cacheControl,
	};
	if (isNotModified(request.headers, validators)) return { status: 304, headers };
	const body = renderPage(dataset, parsed.page, config.listWrap);
	return {
		status: 200,
		headers: { ...headers, 'Content-Type': body.contentType },
		body: body.text,
	};
}

// Refusals depend on the request's credentials and query, so no cache may reuse them.
function uncacheable(answer: HttpAnswer): HttpAnswer {
	return { ...answer, headers: { ...answer.headers, 'Cache-Control': 'no-store' } };
}
