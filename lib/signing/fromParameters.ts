import type { HmacAlgorithm, SignatureScheme } from './schemes';
import type { DigestEncoding } from './encoding';

/** Node parameters that pick a scheme; `none` (or anything unknown) means unsigned. */
export interface SchemeParameters {
	scheme: string;
	signatureHeader?: string;
	algorithm?: string;
	encoding?: string;
	prefix?: string;
	timestampHeader?: string;
	idHeader?: string;
}

/** What each Custom HMAC field means when left empty; the editor shows the same values as defaults. */
export const CUSTOM_HMAC_DEFAULTS = {
	signatureHeader: 'x-signature',
	algorithm: 'sha256',
	encoding: 'hex',
	prefix: '',
	timestampHeader: '',
	idHeader: '',
} as const;

const ALGORITHMS: HmacAlgorithm[] = ['sha256', 'sha512', 'sha1'];
const ENCODINGS: DigestEncoding[] = ['hex', 'base64'];

function optional(text: string | undefined): string | undefined {
	const trimmed = text?.trim();
	return trimmed ? trimmed : undefined;
}

export function schemeFromParameters(parameters: SchemeParameters): SignatureScheme | null {
	switch (parameters.scheme) {
		case 'standardWebhooks':
		case 'github':
		case 'stripe':
			return { kind: parameters.scheme };
		case 'customHmac':
			return {
				kind: 'customHmac',
				signatureHeader:
					optional(parameters.signatureHeader) ?? CUSTOM_HMAC_DEFAULTS.signatureHeader,
				algorithm:
					ALGORITHMS.find((algorithm) => algorithm === parameters.algorithm) ??
					CUSTOM_HMAC_DEFAULTS.algorithm,
				encoding:
					ENCODINGS.find((encoding) => encoding === parameters.encoding) ??
					CUSTOM_HMAC_DEFAULTS.encoding,
				prefix: optional(parameters.prefix),
				timestampHeader: optional(parameters.timestampHeader),
				idHeader: optional(parameters.idHeader),
			};
		default:
			return null;
	}
}
