// Debian's Chromium driven by playwright-core. Playwright's own browser download cannot work on a
// closed network, so the browser comes from apt-get and playwright-core only drives it.
import { existsSync } from 'node:fs';

import { chromium } from 'playwright-core';

import { installDebianPackages } from '../../scripts/lib/debian-packages.mjs';

const CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google's services, which a
// closed network refuses; without --no-sandbox it will not start as root.
const HEADLESS_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Installs Debian's chromium package unless it is already there (a few minutes the first time). */
export function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	console.log(`# ${CHROMIUM} is missing: installing Debian's chromium package`);
	installDebianPackages(['chromium']);
}

/** A headless Chromium with a fresh profile (playwright-core makes a temporary one per launch). */
export function launchChromium() {
	return chromium.launch({ executablePath: CHROMIUM, args: HEADLESS_FLAGS });
}
