import type { INodeProperties } from 'n8n-workflow';

import { CUSTOM_HMAC_DEFAULTS } from '../signing/fromParameters';

/** Scheme values that sign requests, so need the signing secret credential. */
export const SIGNED_SCHEMES = ['customHmac', 'github', 'standardWebhooks', 'stripe'];

/** Who is on the other end: the trigger checks what a sender made, Notify makes what a receiver checks. */
type Peer = 'sender' | 'receiver';

const WORDING: Record<
	Peer,
	Record<'algorithm' | 'prefix' | 'timestamp' | 'id' | 'legacy', string>
> = {
	sender: {
		algorithm: 'The HMAC hash function the sender uses',
		prefix: 'Text in front of the digest, if any',
		timestamp:
			'If the sender signs "&lt;timestamp&gt;.&lt;body&gt;", the header holding that Unix timestamp. Leave empty if only the body is signed (then there is no replay window).',
		id: 'Header holding a unique delivery ID, used to drop duplicates. Leave empty to read the ID from the body.',
		legacy: 'SHA-1 (Legacy Senders Only)',
	},
	receiver: {
		algorithm: 'The HMAC hash function the receiver expects',
		prefix: 'Text to put in front of the digest, if the receiver expects any',
		timestamp:
			'To sign "&lt;timestamp&gt;.&lt;body&gt;" and send that Unix timestamp in this header, so the receiver can refuse replays. Leave empty to sign the body alone.',
		id: 'A header to send the event ID in, for receivers that drop duplicates by it. Leave empty to send none.',
		legacy: 'SHA-1 (Legacy Receivers Only)',
	},
};

/** The Custom HMAC fields, shown when the scheme parameter (`verification` or `signing`) is `customHmac`. */
export function customHmacProperties(schemeParameter: string, peer: Peer): INodeProperties[] {
	const { signatureHeader, algorithm, encoding, prefix, timestampHeader, idHeader } =
		CUSTOM_HMAC_DEFAULTS;
	const wording = WORDING[peer];
	const show = { displayOptions: { show: { [schemeParameter]: ['customHmac'] } } };
	return [
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			required: true,
			default: signatureHeader,
			description: 'The request header that carries the signature',
			...show,
		},
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: wording.legacy, value: 'sha1' },
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: algorithm,
			description: wording.algorithm,
			...show,
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Base64', value: 'base64' },
				{ name: 'Hex', value: 'hex' },
			],
			default: encoding,
			description: 'How the digest is written in the header',
			...show,
		},
		{
			displayName: 'Signature Prefix',
			name: 'prefix',
			type: 'string',
			default: prefix,
			placeholder: 'sha256=',
			description: wording.prefix,
			...show,
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: timestampHeader,
			placeholder: 'x-timestamp',
			description: wording.timestamp,
			...show,
		},
		{
			displayName: 'Event ID Header',
			name: 'idHeader',
			type: 'string',
			default: idHeader,
			placeholder: 'x-event-ID',
			description: wording.id,
			...show,
		},
	];
}
