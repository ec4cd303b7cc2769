import { createPublicKey, verify, type KeyObject } from 'node:crypto';

import type {
	PublicKeyAlgorithm,
	PublicKeyFormat,
	PublicKeyProfile,
	SignedContent,
} from './profile';

const ED25519_HEX = /^[0-9a-fA-F]{64}$/;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;

/** What each key format must look like, for the message that says it does not. */
const FORMAT_RULES: Record<PublicKeyFormat, string> = {
	ed25519Hex: 'The public key must be the 64 hexadecimal characters the sender shows.',
	spkiBase64:
		'The public key must be the base64 key the sender shows (a P-256 key in SubjectPublicKeyInfo form, "MFkw…").',
};

/** The key type node:crypto must report for each algorithm, and the curve where it has one. */
const KEY_TYPES: Record<PublicKeyAlgorithm, { type: string; curve?: string }> = {
	ed25519: { type: 'ed25519' },
	ecdsaP256Sha256: { type: 'ec', curve: 'prime256v1' },
};

/** The hash node:crypto's verify takes: none for Ed25519, which hashes inside the algorithm. */
const DIGESTS: Record<PublicKeyAlgorithm, string | null> = {
	ed25519: null,
	ecdsaP256Sha256: 'sha256',
};

type ReadKey = { key: KeyObject } | { problem: string };

function parseKey(text: string, format: PublicKeyFormat): KeyObject {
	if (format === 'ed25519Hex') {
		const x = Buffer.from(text, 'hex').toString('base64url');
		return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
	}
	return createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
}

function readKey(text: string, format: PublicKeyFormat, algorithm: PublicKeyAlgorithm): ReadKey {
	const trimmed = text.trim();
	const shaped = format === 'ed25519Hex' ? ED25519_HEX : BASE64_TEXT;
	if (!shaped.test(trimmed)) return { problem: FORMAT_RULES[format] };
	let key: KeyObject;
	try {
		key = parseKey(trimmed, format);
	} catch {
		return { problem: FORMAT_RULES[format] };
	}
	const expected = KEY_TYPES[algorithm];
	const curve = key.asymmetricKeyDetails?.namedCurve;
	return key.asymmetricKeyType === expected.type && curve === expected.curve
		? { key }
		: { problem: `${FORMAT_RULES[format]} This is another kind of key.` };
}

// Keys are read once per text: a node checks its credential on every request, and both the check
// and the verification then find the parsed key here. The few keys in use stay; a full cache is
// emptied rather than tracked, as it only fills when keys keep changing.
const MAX_CACHED_KEYS = 64;
const cache = new Map<string, ReadKey>();

/** How a profile's keys are read and used. */
type KeyUse = Pick<PublicKeyProfile, 'algorithm' | 'keyFormat'>;

function cachedKey(text: string, { algorithm, keyFormat }: KeyUse): ReadKey {
	const entry = `${algorithm}\0${keyFormat}\0${text}`;
	let read = cache.get(entry);
	if (read === undefined) {
		if (cache.size >= MAX_CACHED_KEYS) cache.clear();
		read = readKey(text, keyFormat, algorithm);
		cache.set(entry, read);
	}
	return read;
}

/** Why `text` cannot be one of the profile's public keys, or undefined when it can. */
export function publicKeyProblem(text: string, profile: KeyUse): string | undefined {
	const read = cachedKey(text, profile);
	return 'problem' in read ? read.problem : undefined;
}

/**
 * Whether one of `signatures` signs the content around `body` under one of `keys` (the
 * credential's, current first). A key that cannot be read verifies nothing: the node's
 * configuration refuses it before any request gets here.
 */
export function signedByAny(
	profile: KeyUse,
	keys: string[],
	content: SignedContent,
	body: Buffer | string,
	signatures: Buffer[],
): boolean {
	const signedBody = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
	const data = Buffer.concat([
		Buffer.from(content.before, 'utf8'),
		...(content.withoutBody ? [] : [signedBody, Buffer.from(content.after, 'utf8')]),
	]);
	return keys.some((text) => {
		const read = cachedKey(text, profile);
		if ('problem' in read) return false;
		return signatures.some((signature) =>
			verify(DIGESTS[profile.algorithm], data, read.key, signature),
		);
	});
}
