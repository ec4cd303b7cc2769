import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

import type { HmacAlgorithm, SignedContent } from './profile';

export function hmacDigest(
	algorithm: HmacAlgorithm,
	key: Buffer | KeyObject,
	content: SignedContent,
	body: Buffer | string,
): Buffer {
	return createHmac(algorithm, key)
		.update(content.before)
		.update(content.withoutBody ? '' : body)
		.update(content.after)
		.digest();
}

/** Constant-time check of one computed digest against every candidate of the same length. */
export function matchesAny(digest: Buffer, candidates: Buffer[]): boolean {
	let matched = false;
	for (const candidate of candidates) {
		if (candidate.length === digest.length && timingSafeEqual(candidate, digest)) {
			matched = true;
		}
	}
	return matched;
}
