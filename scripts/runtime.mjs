// `node scripts/runtime.mjs`: installs the pinned n8n runtime if needed and prints where it is.
import { ensureRuntime, runScript } from './lib/runtime.mjs';

runScript('runtime', async () => {
	const runtime = ensureRuntime();
	console.log(`n8n ${runtime.version} runtime ready: ${runtime.n8n} (Node ${runtime.node})`);
});
