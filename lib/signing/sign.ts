import { hmacDigest } from './hmac';
import { HEADERS, type SignatureScheme } from './schemes';
import { secretToKey } from './secrets';

export interface SignOptions {
	scheme: SignatureScheme;
	secret: string;
	/** The exact bytes that will be sent. */
	body: Buffer | string;
	/** Event id; sent in the scheme's id header where it has one. */
	id: string;
	/** Unix seconds. */
	timestamp: number;
}

/** Returns the headers that sign `body` under the scheme. */
export function signWebhook(options: SignOptions): Record<string, string> {
	const { scheme, body, id, timestamp } = options;
	const key = secretToKey(options.secret);
	switch (scheme.kind) {
		case 'standardWebhooks': {
			const digest = hmacDigest('sha256', key, `${id}.${timestamp}.`, body).toString('base64');
			return {
				[HEADERS.standardId]: id,
				[HEADERS.standardTimestamp]: String(timestamp),
				[HEADERS.standardSignature]: `v1,${digest}`,
			};
		}
		case 'github': {
			const digest = hmacDigest('sha256', key, '', body).toString('hex');
			return { [HEADERS.githubSignature]: `sha256=${digest}`, [HEADERS.githubDelivery]: id };
		}
		case 'stripe': {
			const digest = hmacDigest('sha256', key, `${timestamp}.`, body).toString('hex');
			return { [HEADERS.stripeSignature]: `t=${timestamp},v1=${digest}` };
		}
		case 'customHmac': {
			const signedPrefix = scheme.timestampHeader ? `${timestamp}.` : '';
			const digest = hmacDigest(scheme.algorithm, key, signedPrefix, body).toString(
				scheme.encoding,
			);
			return {
				[scheme.signatureHeader]: `${scheme.prefix ?? ''}${digest}`,
				...(scheme.timestampHeader ? { [scheme.timestampHeader]: String(timestamp) } : {}),
				...(scheme.idHeader ? { [scheme.idHeader]: id } : {}),
			};
		}
	}
}
