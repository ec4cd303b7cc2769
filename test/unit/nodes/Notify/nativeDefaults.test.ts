import { Workflow, type IDataObject, type INodeTypes, type INodeExecutionData } from 'n8n-workflow';

import { NATIVE_DEFAULTS, itemParameter } from '../../../../nodes/Notify/nativeDefaults';
import { Notify } from '../../../../nodes/Notify/Notify.node';
import { executeContext } from '../../support/n8nContexts';

const notify = new Notify();
const nodeTypes: INodeTypes = {
	getByName: () => notify,
	getByNameAndVersion: () => notify,
	getKnownTypes: () => ({}),
};

/** What n8n's own expression engine makes of an expression for one input item. */
function evaluatedByN8n(expression: string, json: IDataObject, executionId: string): unknown {
	const workflow = new Workflow({
		id: 'w1',
		name: 'Order events',
		nodes: [
			{
				id: 'n1',
				name: 'Notify',
				type: 'notify',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
		],
		connections: {},
		active: false,
		nodeTypes,
	});
	const input: INodeExecutionData[] = [{ json }];
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'Notify', input, 'manual', {
		$execution: { id: executionId },
	} as never);
}

const items: IDataObject[] = [
	{},
	{ event: 'flow.start', type: 'ignored' },
	{ type: 'order.created' },
	{ event: null, type: 'fallback.used' },
	{ event: 0 },
	{ event: '' },
	{ session_id: 's-1', sessionId: 'ignored', flow_name: 'Checkout' },
	{ sessionId: 's-2', flowName: 'Signup' },
	{ nested: { a: [1, 2] }, amount: 12.5 },
];

/** The parameters whose default expression Notify computes itself, listed here so none goes untested. */
const NATIVE_PARAMETERS = ['eventType', 'eventData', 'sessionId', 'flowName'] as const;

describe('defaults computed without the expression engine', () => {
	it('are computed for exactly the four item parameters', () => {
		expect(Object.keys(NATIVE_DEFAULTS).sort()).toEqual([...NATIVE_PARAMETERS].sort());
	});

	for (const name of NATIVE_PARAMETERS) {
		it(`${name} gives what n8n gives for its default expression`, () => {
			const native = NATIVE_DEFAULTS[name];
			for (const json of items) {
				const expected = evaluatedByN8n(native.expression, json, 'exec-42');
				const actual = native.value(json, { executionId: 'exec-42', workflowName: 'Order events' });
				expect({ json, value: actual }).toEqual({ json, value: expected });
			}
		});
	}

	it('are the defaults the node description declares', () => {
		const properties = new Notify().description.properties;
		for (const name of NATIVE_PARAMETERS) {
			expect(properties.find((property) => property.name === name)?.default).toBe(
				NATIVE_DEFAULTS[name].expression,
			);
		}
	});
});

describe('itemParameter', () => {
	function context(parameters: IDataObject) {
		const evaluated: string[] = [];
		const { context: fake } = executeContext(notify, {
			parameters,
			items: [{ json: { event: 'flow.end' } }],
			executionId: 'exec-7',
			workflowName: 'Flows',
			evaluate: (name) => {
				evaluated.push(name);
				return `engine:${name}`;
			},
		});
		return { fake, evaluated };
	}

	it('computes a parameter left at its default without asking n8n', () => {
		const { fake, evaluated } = context({});
		expect(itemParameter(fake, 'eventType', 0)).toBe('flow.end');
		expect(evaluated).toEqual([]);
	});

	it('hands a changed parameter to n8n, even an equivalent expression', () => {
		const { fake, evaluated } = context({
			eventFormat: 'flowSession',
			eventType: '={{ $json.event ?? $json.type ?? "n8n.item"}}',
			flowName: 'Fixed name',
		});
		expect(itemParameter(fake, 'eventType', 0)).toBe('engine:eventType');
		expect(itemParameter(fake, 'flowName', 0)).toBe('engine:flowName');
		expect(evaluated).toEqual(['eventType', 'flowName']);
	});
});
