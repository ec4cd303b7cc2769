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
				signatureHeader: optional(parameters.signatureHeader) ?? 'x-signature',
				algorithm: ALGORITHMS.find((algorithm) => algorithm === parameters.algorithm) ?? 'sha256',
				encoding: ENCODINGS.find((encoding) => encoding === parameters.encoding) ?? 'hex',
				prefix: optional(parameters.prefix),
				timestampHeader: optional(parameters.timestampHeader),
				idHeader: optional(parameters.idHeader),
			};
		default:
			return null;
	}
}
