// The expression-engine settings the bench runs n8n under. The issue asks for n8n's default (`vm`)
// and `legacy`; `vm` with lazy isolate acquisition is the setting the README recommends to
// operators of community webhook nodes, measured so that recommendation rests on numbers.
export const ENGINES = {
	vm: { label: 'default (`vm`)', env: { N8N_EXPRESSION_ENGINE: 'vm' } },
	'vm-lazy': {
		label: '`vm`, lazy acquire',
		env: { N8N_EXPRESSION_ENGINE: 'vm', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	},
	legacy: { label: '`legacy`', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
};
