// Stand-ins for the n8n-nodes-base nodes the example workflows use, which are not installed for
// the engine tier (n8n-nodes-base is n8n's, and its Code node needs n8n's task runners). Each does
// what the examples rely on: the triggers start a run, No Operation passes items on, Code runs its
// JavaScript over the input ($input.all()), Wait puts the execution to wait until its date as
// n8n's Wait node does. Plain JavaScript: n8n's lint bans new Function in TypeScript.

const text = (name) => ({ displayName: name, name, type: 'string', default: '' });

const description = (name, group, extra = {}) => ({
	displayName: name,
	name,
	group: [group],
	version: [1, 1.1, 1.2, 2, 2.1],
	description: `Stand-in for n8n's ${name} node`,
	defaults: { name },
	inputs: group === 'trigger' ? [] : ['main'],
	outputs: ['main'],
	properties: [],
	...extra,
});

const passThrough = {
	description: description('noOp', 'transform'),
	async execute() {
		return [this.getInputData()];
	},
};

const code = {
	description: description('code', 'transform', { properties: [text('jsCode')] }),
	async execute() {
		const input = this.getInputData();
		const jsCode = this.getNodeParameter('jsCode', 0);
		const run = new Function('$input', `return (async () => {\n${jsCode}\n})();`);
		const returned = await run({ all: () => input, first: () => input[0] });
		return [returned.map((item) => ('json' in item ? item : { json: item }))];
	},
};

const wait = {
	description: description('wait', 'transform', { properties: [text('dateTime')] }),
	async execute() {
		const dateTime = this.getNodeParameter('dateTime', 0);
		await this.putExecutionToWait(new Date(dateTime));
		return [this.getInputData()];
	},
};

const scheduleTrigger = {
	description: description('scheduleTrigger', 'trigger'),
	async trigger() {
		return {};
	},
};

const webhook = {
	description: description('webhook', 'trigger', {
		webhooks: [
			{ name: 'default', httpMethod: 'POST', path: 'stand-in', responseMode: 'onReceived' },
		],
	}),
	async webhook() {
		return { workflowData: [[{ json: {} }]] };
	},
};

module.exports = {
	standInNodeTypes: {
		'n8n-nodes-base.code': code,
		'n8n-nodes-base.noOp': passThrough,
		'n8n-nodes-base.scheduleTrigger': scheduleTrigger,
		'n8n-nodes-base.wait': wait,
		'n8n-nodes-base.webhook': webhook,
	},
};
