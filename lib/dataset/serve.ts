import type { HttpAnswer } from '../http/answers';
import type { HeaderBag } from '../http/headers';

import { checkAccess, type AccessRule } from './access';
import { isNotModified, validatorsFor } from './conditional';
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
	cacheControl: string;
	query: QuerySettings;
	/** What the empty dataset looks like before the first publish (follows the publish mode). */
	emptyShape: DatasetShape;
	/** Serves a list inside an object; null serves the list itself. */
	listWrap: ListWrap | null;
}

/**
 * The answer to a GET for the published data, cheapest checks first: access, query, then the
 * conditional headers, so a 304 costs no rendering at all. `cors` are the request's CORS headers
 * (`corsHeaders`), which every answer carries, so pages can read a refusal too. Never throws on
 * request input.
 */
export function answerDataRequest(
	request: DataRequest,
	published: PublishedDataset | undefined,
	config: ServeConfig,
	cors: Record<string, string>,
): HttpAnswer {
	const answer = answerWithoutCors(request, published, config);
	return { ...answer, headers: { ...answer.headers, ...cors } };
}

function answerWithoutCors(
	request: DataRequest,
	published: PublishedDataset | undefined,
	config: ServeConfig,
): HttpAnswer {
	const denied = checkAccess(request.headers, config.access);
	if (denied) return uncacheable(denied);
	const parsed = parsePageQuery(request.query, config.query);
	if (parsed.kind === 'invalid') return uncacheable(parsed.answer);
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
