// The Telegram Bot preset. Telegram signs nothing and publishes no library of its own; its Bot API
// documentation is the reference (core.telegram.org/bots/api#setwebhook: the secret_token given
// to setWebhook is sent in X-Telegram-Bot-Api-Secret-Token with every update), and
// `documentedCheck` below checks as it says. Nothing is signed: no tampered-body or stale case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fixture, SECRETS, telegramDelivery as delivery } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.telegram;
const ROTATED = 'tg_Previous-Token_3Hd8Nc1Xw5Zr';
const BODY = fixture('telegram-message');
const PARAMETERS = { scheme: 'telegram' };

const documentedCheck = ({ headers }, token = SECRET) =>
	headers['X-Telegram-Bot-Api-Secret-Token'] === token;

describe('Telegram Bot, judged by the Bot API documentation', () => {
	it('lets an update with the secret token through, then finds no event type in it (422)', () => {
		const sent = delivery();
		assert.equal(documentedCheck(sent), true);
		// An update names its kind by which field it has ("message", "callback_query", …), not by a
		// type field: the token passes, the event has no type.
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [422, 'invalid_event']);
		assert.match(outcome.answer.body.message, /event, type, event_type/);
	});

	it('accepts it once Options names a field to type it by, named by update_id', () => {
		const options = { eventTypeField: 'message.chat.type' };
		const receive = receiver(PARAMETERS, [SECRET], { options });
		const outcome = receive(delivery());
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.deepEqual(
			[outcome.events[0].event.event, outcome.events[0].event.id],
			['private', '918273645'],
		);
		// Telegram sends an update again until it gets a 2xx.
		assert.equal(receive(delivery()).kind, 'duplicate');
	});

	for (const [name, sent, reason] of [
		['another token', delivery({ token: ROTATED }), 'signature_mismatch'],
		[
			'no X-Telegram-Bot-Api-Secret-Token header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as the documented check does`, () => {
			assert.equal(documentedCheck(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts the previous token while setWebhook is called again with a new one', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const token of [ROTATED, SECRET]) {
			const outcome = receive(delivery({ token }));
			assert.equal(outcome.answer.body.error, 'invalid_event', 'past the token check');
		}
	});
});
