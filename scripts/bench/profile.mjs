// Where the n8n server's main thread spends its time during one measurement. With `--profile` the
// server runs under `--cpu-prof`; its profile is cut to each measurement's time windows and summed
// up by package ("area") and by function. V8 stamps samples with the same monotonic clock as
// `process.hrtime`, so windows recorded here line up with the samples.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_NAME } from '../lib/n8n-instance.mjs';
import { PROJECT_ROOT } from '../lib/runtime.mjs';

const TOP = 12;

/** Monotonic microseconds for a wall-clock time of this process. */
export function monotonicMicros(date) {
	const nowMicros = Number(process.hrtime.bigint() / 1000n);
	return nowMicros - (Date.now() - date.getTime()) * 1000;
}

export function readServerProfile(directory, pid) {
	const file = readdirSync(directory).find(
		(name) => name.endsWith('.cpuprofile') && name.split('.')[3] === String(pid),
	);
	if (!file) throw new Error(`no CPU profile of process ${pid} in ${directory}`);
	return JSON.parse(readFileSync(join(directory, file), 'utf8'));
}

function area({ functionName, url }) {
	if (!url) return functionName.startsWith('(') ? functionName : 'native code';
	if (url.includes(`/${PACKAGE_NAME}/`) || url.includes(`${PROJECT_ROOT}/dist/`))
		return PACKAGE_NAME;
	if (url.startsWith('node:')) return 'Node.js internals';
	const packagePath = url.split('/node_modules/').at(-1);
	if (packagePath === url) return 'other';
	const [scope, name] = packagePath.split('/');
	return scope.startsWith('@') ? `${scope}/${name}` : scope;
}

function functionKey({ functionName, url, lineNumber }) {
	const file = url
		.split('/node_modules/')
		.at(-1)
		.replace(/^file:\/\//, '');
	return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

function top(counts, total) {
	return [...counts]
		.sort((a, b) => b[1] - a[1])
		.slice(0, TOP)
		.map(([name, count]) => ({ name, share: count / total }));
}

const increment = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

// Frames that say where the time goes; event-loop plumbing (Node.js internals, native code,
// anonymous callbacks) sits under everything and would crowd them out.
function isApplicationCode(frame) {
	return (
		frame.functionName !== '' &&
		!['Node.js internals', 'native code', '(root)', '(program)', '(garbage collector)'].includes(
			area(frame),
		)
	);
}

/** Shares of busy (non-idle) samples within `windows` (`[startMicros, endMicros]` each): by area, by function itself, and by named application function including its callees. */
export function summarizeWindows(profile, windows) {
	const inWindow = (time) =>
		windows.some(({ startMicros, endMicros }) => time >= startMicros && time <= endMicros);
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);

	const areas = new Map();
	const self = new Map();
	const inclusive = new Map();
	let idle = 0;
	let busy = 0;
	let time = profile.startTime;
	profile.samples.forEach((nodeId, index) => {
		time += profile.timeDeltas[index];
		if (!inWindow(time)) return;
		const { callFrame } = byId.get(nodeId);
		if (callFrame.functionName === '(idle)') {
			idle += 1;
			return;
		}
		busy += 1;
		increment(areas, area(callFrame));
		increment(self, functionKey(callFrame));
		const onStack = new Set();
		for (let id = nodeId; id !== undefined; id = parent.get(id)) {
			const frame = byId.get(id).callFrame;
			if (isApplicationCode(frame)) onStack.add(functionKey(frame));
		}
		for (const key of onStack) increment(inclusive, key);
	});
	return {
		busyShare: busy / Math.max(1, busy + idle),
		areas: top(areas, busy),
		selfTime: top(self, busy),
		inclusiveTime: top(inclusive, busy),
	};
}
