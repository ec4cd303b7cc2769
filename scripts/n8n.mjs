// `npm run n8n -- <n8n CLI arguments>`: the pinned n8n CLI under Node 24, with this package loaded.
// N8N_USER_FOLDER (default .n8n-dev/) and N8N_PORT (default 5678) are honoured.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { installPackage, n8nEnv } from './lib/n8n-instance.mjs';
import { PROJECT_ROOT } from './lib/runtime.mjs';

const userFolder = process.env.N8N_USER_FOLDER || join(PROJECT_ROOT, '.n8n-dev');
const port = process.env.N8N_PORT || '5678';
const { env, runtime } = n8nEnv({ userFolder, port });
installPackage(userFolder);

const child = spawn(runtime.node, [runtime.n8n, ...process.argv.slice(2)], {
	env,
	stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
