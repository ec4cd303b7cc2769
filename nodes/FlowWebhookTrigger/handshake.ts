import type {
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	NodeOperationError,
} from 'n8n-workflow';

import { errorAnswer, type HttpAnswer } from '../../lib/http/answers';
import { verifyTokenHandshake, type HandshakeOutcome } from '../../lib/ingest/handshake';
import { misconfigurationError, writeAnswer } from '../../lib/n8n/respond';
import { parameterFields } from '../../lib/n8n/webhookFields';
import type { SenderProfile } from '../../lib/signing/profile';
import { SENDER_PROFILES, type SenderName } from '../../lib/signing/schemes';

import { TRIGGER_DEFAULTS } from './defaults';

/** The node parameter holding the Verify Token the user typed into the sender's dashboard. */
export const VERIFY_TOKEN_PARAMETER = 'verifyToken';

/** The presets whose sender checks the URL with a GET carrying a Verify Token (Meta). */
export const VERIFY_TOKEN_SENDERS = (Object.keys(SENDER_PROFILES) as SenderName[]).filter(
	(name) => SENDER_PROFILES[name].handshake?.kind === 'verifyToken',
);

/**
 * The GET on the trigger's own path with which such a sender checks it. Its method is "GET" only
 * for those presets and empty for every other, and n8n registers no route for an empty method:
 * other workflows keep answering GET with n8n's 404, as before. It shares the events' name and
 * path; `webhook()` tells them apart by the method.
 */
export const VERIFY_TOKEN_WEBHOOK: IWebhookDescription = {
	name: 'default',
	...parameterFields({
		httpMethod: {
			parameter: 'verification',
			oneOf: VERIFY_TOKEN_SENDERS,
			then: 'GET',
			otherwise: '',
		},
		path: { parameter: 'path' },
	}),
	responseMode: 'onReceived',
	isFullPath: true,
	ndvHideUrl: true,
	ndvHideMethod: true,
};

/** Whether the request is the sender's GET verification rather than an event. */
export const isVerificationRequest = (context: IWebhookFunctions) =>
	context.getRequestObject().method === 'GET';

/** The query string of the request, without its "?". */
function queryString(context: IWebhookFunctions): string {
	const { originalUrl, url } = context.getRequestObject();
	const target = String(originalUrl ?? url ?? '');
	const start = target.indexOf('?');
	return start === -1 ? '' : target.slice(start + 1);
}

/**
 * How the sender's GET verification request is answered, or the misconfiguration that keeps it
 * from being answered (no Verify Token typed).
 */
export function verificationOutcome(
	context: IWebhookFunctions,
): HandshakeOutcome | NodeOperationError {
	const name = String(context.getNodeParameter('verification', TRIGGER_DEFAULTS.verification));
	const profiles: Record<string, SenderProfile | undefined> = SENDER_PROFILES;
	const handshake = profiles[name]?.handshake;
	if (handshake?.kind !== 'verifyToken') {
		// Not registered for other presets; a leftover route after a change of preset lands here.
		return {
			kind: 'rejected',
			answer: errorAnswer(
				405,
				'method_not_allowed',
				`Send events with ${String(context.getNodeParameter('httpMethod', TRIGGER_DEFAULTS.httpMethod))}.`,
			),
		};
	}
	const token = String(context.getNodeParameter(VERIFY_TOKEN_PARAMETER, '') ?? '');
	if (!token.trim()) {
		return misconfigurationError(
			context,
			`The Verify Token is empty, so the sender's verification request cannot be answered.`,
			`Type in Verify Token the same token you enter in the sender's dashboard next to the Callback URL.`,
		);
	}
	return verifyTokenHandshake(handshake, queryString(context), token);
}

/** Answers a sender's handshake as it requires: no run starts, and nothing is logged. */
export function answerHandshake(
	context: IWebhookFunctions,
	answer: HttpAnswer,
): IWebhookResponseData {
	writeAnswer(context, answer);
	return { noWebhookResponse: true };
}
