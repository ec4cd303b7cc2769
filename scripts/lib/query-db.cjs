// Reads n8n's SQLite database for the tests and benchmarks. Runs under the pinned Node 24,
// with the sqlite3 and flatted modules of the pinned n8n (their path comes in N8N_MODULES).
// Usage: node query-db.cjs <database file> <sql> [json parameters] [write] ; prints the rows as
// JSON. The database is opened read-only unless `write` is given.
const { join } = require('node:path');

const modules = process.env.N8N_MODULES;
const sqlite3 = require(join(modules, 'sqlite3'));
const flatted = require(join(modules, 'flatted'));

const [databaseFile, sql, parameters = '[]', mode] = process.argv.slice(2);
const database = new sqlite3.Database(
	databaseFile,
	mode === 'write' ? sqlite3.OPEN_READWRITE : sqlite3.OPEN_READONLY,
);
database.configure('busyTimeout', 5000);
database.all(sql, JSON.parse(parameters), (error, rows) => {
	if (error) {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	}
	// Execution data is stored in the flatted format; hand it over as plain JSON.
	const decoded = rows.map((row) =>
		typeof row.data === 'string' && row.data.startsWith('[')
			? { ...row, data: flatted.parse(row.data) }
			: row,
	);
	process.stdout.write(JSON.stringify(decoded));
	database.close();
});
