// `npm run dev`: the package in a real local n8n, with every example workflow imported and published.
// Needs x64 Linux (the pinned runtime); anywhere else it stops with one line saying so.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { importAndPublish, installPackage, n8nEnv, startServer } from './lib/n8n-instance.mjs';
import { PROJECT_ROOT, runScript } from './lib/runtime.mjs';
import { productionWebhookUrls } from './lib/webhook-urls.mjs';

runScript('npm run dev', async () => {
	const userFolder = process.env.N8N_USER_FOLDER || join(PROJECT_ROOT, '.n8n-dev');
	const port = Number(process.env.N8N_PORT || 5678);
	const examplesDir = join(PROJECT_ROOT, 'examples');
	const files = readdirSync(examplesDir)
		.filter((name) => name.endsWith('.json') && name !== 'credentials.json')
		.map((name) => join(examplesDir, name));
	const credentialsFile = join(examplesDir, 'credentials.json');

	const context = n8nEnv({ userFolder, port });
	installPackage(userFolder);
	console.log(`Importing and publishing ${files.length} example workflows into ${userFolder} ...`);
	importAndPublish(
		{
			credentialsFile: existsSync(credentialsFile) ? credentialsFile : undefined,
			workflowFiles: files,
		},
		context,
	);
	// n8n's own output (including harmless lookups of its online services) goes to a file, so the
	// summary below stays readable.
	const logFile = join(userFolder, 'n8n.log');
	console.log(`Starting n8n (its log: ${logFile}) ...`);
	const server = await startServer({ ...context, port, logFile });

	const editorUrl = `http://localhost:${port}`;
	console.log(`\nn8n ${context.runtime.version} is running. Editor: ${editorUrl}`);
	console.log('(First visit: create the owner account; the examples are in the Overview.)\n');
	console.log('Production webhook URLs of the example workflows:');
	for (const file of files) {
		const workflow = JSON.parse(readFileSync(file, 'utf8'));
		for (const line of productionWebhookUrls(workflow, editorUrl)) console.log(`  ${line}`);
	}
	console.log('\nPress Ctrl-C to stop.');

	let stopping = false;
	const shutdown = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n ...');
		await server.stop();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	server.child.on('exit', (code) => {
		if (!stopping) {
			console.error(`n8n exited unexpectedly (code ${code}).`);
			process.exit(1);
		}
	});
});
