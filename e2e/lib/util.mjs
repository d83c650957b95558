// Settings every module shares (from the environment), the log, and small helpers.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const WAIT_MS = Number(process.env.MW_E2E_WAIT_MS || 20_000); // default wait for UI conditions
export const TOTAL_MS = Number(process.env.MW_E2E_TIMEOUT_MS || 300_000); // the whole run (every workflow)
export const SETTLE_MS = 500; // after a UI change, before a screenshot
/** The pages of the navigation, in its order (`nav-<page>` links, `page-<page>` roots). */
export const PAGES = ['overview', 'mentions', 'analysis', 'search', 'topics', 'alerts', 'sources', 'reports', 'settings'];

const T0 = Date.now();

export function log(msg) {
  const t = ((Date.now() - T0) / 1000).toFixed(1).padStart(6);
  console.log(`[e2e ${t}s] ${msg}`);
}

export function stamp() {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}
