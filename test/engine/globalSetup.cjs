// The engine tier runs n8n-core, whose InstanceSettings keeps its settings file in the user
// folder n8n is given: a temporary one here, so a run writes nothing into the tree or the home
// folder. Plain JavaScript because n8n's lint bans `process` and `fs` in TypeScript.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'flow-webhooks-engine-'));
	// Not the run's business: n8n-core would warn that the settings file is readable by others.
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	// The tests assert the errors n8n records; its log would repeat them on the console.
	process.env.N8N_LOG_LEVEL = 'silent';
};
