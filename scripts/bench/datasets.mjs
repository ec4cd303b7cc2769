// Deterministic data shared by n8n and the bench. The functions are also embedded as source
// text in Code nodes, so they must stay self-contained (no imports, no outer names).

/** The dataset the serving scenario publishes: `count` rows of a small dashboard table. */
export function servedItems(count) {
	const rows = [];
	for (let i = 0; i < count; i++) {
		rows.push({
			id: i + 1,
			name: `Order ${1000 + i}`,
			status: ['open', 'paid', 'shipped'][i % 3],
			total: (i * 37) % 500,
			currency: 'EUR',
		});
	}
	return rows;
}

/** The events the delivery scenario sends: about 250 bytes of JSON each. */
export function deliveryEvents(count) {
	const events = [];
	for (let i = 0; i < count; i++) {
		events.push({
			id: `evt_${i}`,
			event: 'technology.end',
			session_id: `sess_${i % 50}`,
			created: 1767225600 + i,
			success: i % 7 !== 0,
			flow_name: 'Benchmark delivery',
			metadata: { source: 'bench' },
			data: {
				technology_code: `tech_${i % 12}`,
				step: i,
				note: 'the same note on every event, as padding',
			},
		});
	}
	return events;
}
