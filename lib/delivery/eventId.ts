import { createHash } from 'node:crypto';

/**
 * The default event id of the item at `itemIndex`: a UUID-shaped hash of a seed Notify keeps for
 * its run and the item's position. When n8n retries a failed execution it hands the node the same
 * seed and the same items, so each event gets the id it had (receivers can drop the repeat).
 */
export function derivedEventId(seed: string, itemIndex: number): string {
	const hex = createHash('sha256').update(`${seed}:${itemIndex}`).digest('hex');
	// Version 8 (RFC 9562's custom UUIDs) and the RFC variant bits.
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
