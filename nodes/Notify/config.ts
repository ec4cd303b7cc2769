import type { IExecuteFunctions } from 'n8n-workflow';

import {
	deliverySettings,
	type DeliveryOptions,
	type DeliverySettings,
} from '../../lib/delivery/settings';
import { parseRetrySchedule } from '../../lib/delivery/retrySchedule';
import { reservedHeaderNames, type Signing } from '../../lib/delivery/request';
import { retryStateKey } from '../../lib/delivery/retryState';
import type { EventFormat } from '../../lib/delivery/envelope';
import { activeSecrets, secretProblem, secretToKey } from '../../lib/signing/secrets';
import { schemeFromParameters } from '../../lib/signing/fromParameters';
import { isSignable, schemeLabel, schemeSecretEncoding } from '../../lib/signing/schemes';
import { misconfigurationError } from '../../lib/n8n/respond';

import { NOTIFY_DEFAULTS } from './defaults';
import { eventIdSeed } from './eventIds';
import { itemParameter, itemText } from './nativeDefaults';

export type Operation = 'sendEvent' | 'sendTestEvent';

/** In-run retries only (a failure is final when the run's attempts are used up), or durable rounds too. */
export type RetryMode = 'inRun' | 'retryLater';

/** What holds for the whole run, read once from the first item's parameters. */
export interface RunSettings extends DeliverySettings {
	operation: Operation;
	format: EventFormat;
	signing: Signing;
	/** Headers Notify sets itself, which extra headers may not name. */
	reservedHeaders: string[];
	retryMode: RetryMode;
	/** Waits before each later round, with Retry Later. */
	delaysMs: number[];
	/** Keys retry states are accepted with: the one new states are sealed with first. */
	stateKeys: Buffer[];
	/** Where default event ids come from; the same in every retry of the execution. */
	eventIdSeed: string;
}

interface SigningSetup {
	signing: Signing;
	/** Keys of the current secret and of a previous one kept during a rotation; empty when unsigned. */
	keys: Buffer[];
}

async function readSigning(context: IExecuteFunctions): Promise<SigningSetup> {
	const kind = itemText(context, 'signing', 0);
	const scheme = schemeFromParameters(
		{
			scheme: kind,
			signatureHeader: itemText(context, 'signatureHeader', 0),
			algorithm: itemText(context, 'algorithm', 0),
			encoding: itemText(context, 'encoding', 0),
			prefix: itemText(context, 'prefix', 0),
			timestampHeader: itemText(context, 'timestampHeader', 0),
			idHeader: itemText(context, 'idHeader', 0),
			secretEncoding: kind === 'customHmac' ? itemText(context, 'secretEncoding', 0) : undefined,
			tokenHeader: kind === 'token' ? itemText(context, 'tokenHeader', 0) : undefined,
		},
		context.getNode().typeVersion,
	);
	if (!scheme) return { signing: null, keys: [] };
	// Not offered in the editor; a workflow written by hand or by another tool may still name one.
	if (!isSignable(scheme)) {
		throw misconfigurationError(
			context,
			`Notify cannot sign as ${schemeLabel(scheme)}: that sender signs with a private key only it holds.`,
			'Set Signing to a scheme the receiver checks with a shared secret, such as Standard Webhooks.',
		);
	}
	const encoding = schemeSecretEncoding(scheme);
	const { secret, previousSecret } = await context.getCredentials<{
		secret: string;
		previousSecret?: string;
	}>('webhookSigningSecretApi');
	// Fails on a malformed secret now, before any event is sent.
	const problem = secretProblem(secret, encoding);
	if (problem) {
		throw misconfigurationError(
			context,
			`The signing secret is unusable: ${problem}`,
			"Open the node's Webhook Signing Secret credential and fix its Secret; its Test button checks the format.",
		);
	}
	// A malformed previous secret only means states sealed with it are refused.
	const previous = activeSecrets(secret, previousSecret)
		.slice(1)
		.filter((old) => !secretProblem(old, encoding));
	const keys = [secret, ...previous].map((each) => secretToKey(each, encoding));
	return { signing: { scheme, secret }, keys };
}

function readRetrySchedule(context: IExecuteFunctions, retryMode: RetryMode): number[] {
	if (retryMode !== 'retryLater') return [];
	const schedule = parseRetrySchedule(itemParameter(context, 'retrySchedule', 0));
	if (schedule.kind === 'invalid')
		throw misconfigurationError(
			context,
			schedule.message,
			'Under Retry Schedule, list the waits before each later round, separated by commas, each a number followed by s, m, h or d.',
		);
	return schedule.delaysMs;
}

function readDeliverySettings(context: IExecuteFunctions): DeliverySettings {
	const options = context.getNodeParameter('options', 0, {}) as DeliveryOptions;
	const delivery = deliverySettings(options, NOTIFY_DEFAULTS.options);
	if (delivery.kind === 'invalid')
		throw misconfigurationError(
			context,
			delivery.message,
			'Fix the value under Options, or the expression that computes it.',
		);
	return delivery.settings;
}

export async function readRunSettings(context: IExecuteFunctions): Promise<RunSettings> {
	const delivery = readDeliverySettings(context);
	const { signing, keys } = await readSigning(context);
	const operation = itemText(context, 'operation', 0) as Operation;
	const retryMode =
		operation === 'sendEvent' ? (itemText(context, 'retryMode', 0) as RetryMode) : 'inRun';
	const stateKeys = keys.length > 0 ? keys.map(retryStateKey) : [retryStateKey(null)];
	return {
		...delivery,
		operation,
		format: itemText(context, 'eventFormat', 0) as EventFormat,
		signing,
		reservedHeaders: reservedHeaderNames(signing),
		retryMode,
		delaysMs: readRetrySchedule(context, retryMode),
		stateKeys,
		eventIdSeed: operation === 'sendEvent' ? await eventIdSeed(context) : '',
	};
}
