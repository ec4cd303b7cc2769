import * as n8nWorkflow from 'n8n-workflow';

/**
 * Whether n8n sends an item whose JSON holds `details` besides `error` (and `message`) to a
 * node's error output. n8n 2.36 does (n8n-io/n8n#35939); n8n 1.x routes only `{ error }` and
 * `{ error, message }` there and leaves anything else on the success output. n8n-workflow has no
 * version to read, so `redactedHeaders`, first exported in that same release, marks it: a version
 * without the marker gets the plain `{ error }` item, which every version routes.
 */
export function errorOutputKeepsDetails(api: object = n8nWorkflow): boolean {
	return 'redactedHeaders' in api;
}
