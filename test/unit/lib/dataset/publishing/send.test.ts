import type { PublishSettings } from '../../../../../lib/dataset/publish';
import {
	PUBLISH_KEY_ID_HEADER,
	publishKeyId,
	publishSigningSecret,
} from '../../../../../lib/dataset/publishing/protocol';
import {
	preparePublishRequest,
	readPublishAnswer,
	signedPublishRequest,
} from '../../../../../lib/dataset/publishing/send';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const SECRET = publishSigningSecret(
	'example-publish-key-a-0123456789abcdef-01',
	'workflow-1',
	'node-1',
);
const append: PublishSettings = { mode: 'append', keepNewest: 3, maxBytes: 1024 };

describe('signedPublishRequest', () => {
	it('names the signing key in every request', () => {
		const { headers } = signedPublishRequest({ items: [], settings: append }, SECRET, 'pub_1', NOW);
		expect(headers[PUBLISH_KEY_ID_HEADER]).toBe(publishKeyId(SECRET));
	});
});

describe('preparePublishRequest', () => {
	it('holds only the items that can end up published', () => {
		const items = [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }];
		expect(preparePublishRequest({ items, settings: append })).toEqual({
			kind: 'ready',
			request: { items: items.slice(1), settings: append },
		});
		const single = { ...append, mode: 'singleObject' } as const;
		expect(preparePublishRequest({ items, settings: single })).toEqual({
			kind: 'ready',
			request: { items: [{ n: 1 }], settings: single },
		});
	});

	it('refuses data over the size or nesting limit on its own', () => {
		const big = [{ s: 'x'.repeat(2000) }];
		expect(preparePublishRequest({ items: big, settings: append })).toEqual({
			kind: 'tooLarge',
			bytes: 2010,
			maxBytes: 1024,
		});
		const deep = [{ deep: JSON.parse('['.repeat(1001) + ']'.repeat(1001)) as unknown }];
		expect(preparePublishRequest({ items: deep, settings: append })).toEqual({
			kind: 'tooDeep',
			maxDepth: 1000,
		});
	});
});

describe('readPublishAnswer', () => {
	const receipt = { outcome: 'published', version: 2, total: 3, bytes: 25 };

	it('reads a receipt, a refusal, or n8n being busy', () => {
		expect(readPublishAnswer(200, receipt)).toEqual({ kind: 'receipt', receipt });
		const refusal = { error: 'publish_key_changed', message: 'Run it again.' };
		expect(readPublishAnswer(401, refusal)).toEqual({ kind: 'refused', refusal });
		for (const status of [429, 502, 503, 504]) {
			expect(readPublishAnswer(status, undefined)).toEqual({ kind: 'busy' });
		}
	});

	it.each([
		undefined,
		null,
		{},
		{ outcome: 'published' },
		{ code: 404, message: 'not registered' },
	])('is foreign for a 200 or 404 with %p', (body) => {
		expect(readPublishAnswer(200, body)).toEqual({ kind: 'foreign' });
		expect(readPublishAnswer(404, body)).toEqual({ kind: 'foreign' });
	});

	it('reads no receipt from an answer with an error status', () => {
		expect(readPublishAnswer(500, receipt)).toEqual({ kind: 'foreign' });
	});
});
