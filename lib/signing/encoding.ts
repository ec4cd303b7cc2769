const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type DigestEncoding = 'hex' | 'base64';

export function isBase64(text: string): boolean {
	return BASE64.test(text);
}

/** Decodes an encoded digest, or returns undefined unless it is exactly `bytes` long in that encoding. */
export function decodeDigest(
	text: string,
	encoding: DigestEncoding,
	bytes: number,
): Buffer | undefined {
	const valid = encoding === 'hex' ? HEX.test(text) : BASE64.test(text);
	if (!valid) return undefined;
	const decoded = Buffer.from(text, encoding);
	return decoded.length === bytes ? decoded : undefined;
}
