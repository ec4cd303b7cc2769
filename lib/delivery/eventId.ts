import { createHash, createHmac } from 'node:crypto';

/**
 * The seed of one run of a Notify node's default event ids, from what n8n stores with an execution
 * as it creates it and copies unchanged into every retry of it, crashed or failed (its resume
 * token), the node and how many times the node ran before in the execution. The token keys the
 * HMAC and never leaves: it also lets whoever holds it resume a waiting execution.
 */
export function executionEventIdSeed(token: string, nodeId: string, occurrence: number): string {
	return createHmac('sha256', token)
		.update(`notify-event-id/v1:${nodeId}:${occurrence}`)
		.digest('hex');
}

/**
 * The default event id of the item at `itemIndex`: a UUID-shaped hash of its run's seed and the
 * item's position, so that every attempt and every retry of the execution sends each event with
 * the id it had (receivers can drop the repeat).
 */
export function derivedEventId(seed: string, itemIndex: number): string {
	const hex = createHash('sha256').update(`${seed}:${itemIndex}`).digest('hex');
	// Version 8 (RFC 9562's custom UUIDs) and the RFC variant bits.
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
