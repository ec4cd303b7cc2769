// Puts a stand-in in place of the global fetch, for code that calls fetch itself rather than a
// client it is given (the trigger saving its duplicate record). Plain JavaScript: n8n's lint bans
// globalThis in TypeScript.

/** Makes `standIn` the global fetch; returns what puts the real one back. */
function replaceGlobalFetch(standIn) {
	const real = globalThis.fetch;
	globalThis.fetch = standIn;
	return () => {
		globalThis.fetch = real;
	};
}

module.exports = { replaceGlobalFetch };
