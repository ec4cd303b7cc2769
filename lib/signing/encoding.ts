const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type DigestEncoding = 'hex' | 'base64';

export function isBase64(text: string): boolean {
	return BASE64.test(text);
}

/**
 * Decodes an encoded digest, or returns undefined unless it is exactly `bytes` long in that
 * encoding (any length but none when `bytes` is undefined).
 */
export function decodeDigest(
	text: string,
	encoding: DigestEncoding,
	bytes: number | undefined,
): Buffer | undefined {
	const valid = encoding === 'hex' ? HEX.test(text) : BASE64.test(text);
	if (!valid) return undefined;
	const decoded = Buffer.from(text, encoding);
	// Buffer.from drops a trailing odd hex digit and unused base64 bits, so only the canonical spelling counts.
	const canonical = decoded.toString(encoding) === (encoding === 'hex' ? text.toLowerCase() : text);
	const length = bytes === undefined ? decoded.length > 0 : decoded.length === bytes;
	return length && canonical ? decoded : undefined;
}
