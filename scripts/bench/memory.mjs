// Resident memory of the n8n server and of its whole process group (task runners included),
// polled from /proc while a measurement runs.
import { readdirSync, readFileSync } from 'node:fs';

const POLL_MS = 100;

/** VmRSS of a process; 0 once it has exited. */
function residentKib(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'latin1');
		return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
	} catch {
		return 0;
	}
}

function groupMembers(groupId) {
	return readdirSync('/proc').filter((entry) => {
		if (!/^\d+$/.test(entry)) return false;
		try {
			return (
				Number(readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1].split(' ')[2]) ===
				groupId
			);
		} catch {
			return false;
		}
	});
}

function sample(pid) {
	const group = groupMembers(pid).reduce((sum, member) => sum + residentKib(member), 0);
	return { server: residentKib(pid), group };
}

/** Starts polling; `stop()` (which may be called again) returns the peaks and the values at the start, in MiB. */
export function watchMemory(pid) {
	const before = sample(pid);
	const peak = { ...before };
	const timer = setInterval(() => {
		const now = sample(pid);
		peak.server = Math.max(peak.server, now.server);
		peak.group = Math.max(peak.group, now.group);
	}, POLL_MS);
	const mib = (kib) => Math.round(kib / 1024);
	return {
		stop() {
			clearInterval(timer);
			return {
				serverStartMib: mib(before.server),
				serverPeakMib: mib(peak.server),
				groupStartMib: mib(before.group),
				groupPeakMib: mib(peak.group),
			};
		},
	};
}
