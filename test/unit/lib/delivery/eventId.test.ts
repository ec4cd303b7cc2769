import { derivedEventId } from '../../../../lib/delivery/eventId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('derivedEventId', () => {
	it('is a UUID (version 8) that the same seed and position always give', () => {
		const id = derivedEventId('seed-1', 0);
		expect(id).toMatch(UUID);
		expect(derivedEventId('seed-1', 0)).toBe(id);
	});

	it('differs between positions and between seeds', () => {
		const ids = new Set([
			...Array.from({ length: 1000 }, (_, index) => derivedEventId('seed-1', index)),
			...Array.from({ length: 1000 }, (_, index) => derivedEventId('seed-2', index)),
		]);
		expect(ids.size).toBe(2000);
		ids.forEach((id) => expect(id).toMatch(UUID));
	});
});
