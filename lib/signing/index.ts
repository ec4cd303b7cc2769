export { readHeader, type HeaderBag } from './headers';
export {
	DEFAULT_TOLERANCE_SECONDS,
	signatureHeaderNames,
	type CustomHmacScheme,
	type HmacAlgorithm,
	type SchemeKind,
	type SignatureScheme,
} from './schemes';
export { activeSecrets, secretToKey, SecretFormatError } from './secrets';
export type { VerificationFailure } from './signedMessage';
export { signWebhook, type SignOptions } from './sign';
export { verifyWebhook, type VerificationResult, type VerifyOptions } from './verify';
export { schemeFromParameters, type SchemeParameters } from './fromParameters';
export { channelSecret } from './channelSecret';
