import * as n8nWorkflow from 'n8n-workflow';

import { errorOutputKeepsDetails } from '../../../../lib/n8n/errorOutput';

describe('errorOutputKeepsDetails', () => {
	it('is true for the n8n-workflow this package is built against (2.41)', () => {
		expect(errorOutputKeepsDetails()).toBe(true);
		expect(errorOutputKeepsDetails(n8nWorkflow)).toBe(true);
	});

	it('is false for an n8n-workflow without the 2.36 marker, as in n8n 1.x', () => {
		const older: Record<string, unknown> = { ...n8nWorkflow };
		delete older.redactedHeaders;
		expect(errorOutputKeepsDetails(older)).toBe(false);
	});
});
