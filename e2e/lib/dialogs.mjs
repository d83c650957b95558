// The app's native GTK file dialogs (OPML import/export, report export), answered with real X key events.

import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../webdriver.mjs';
import { log } from './util.mjs';

function xdotool(args) {
  return new Promise((resolve) => {
    const child = spawn('xdotool', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolve({ code: -1, out: '', err: e.message }));
    child.on('exit', (code) => resolve({ code, out: out.trim(), err: err.trim() }));
  });
}

/**
 * Answers the app's native GTK file dialog (the one the dialog plugin opens) the way an analyst does with
 * the keyboard: the window titled `title` gets the focus, the path is typed into its location field, Enter.
 * Real X input through XTEST, on the Xvfb display the app runs on.
 */
export async function answerFileDialog(title, filePath, { save = false } = {}) {
  const id = await waitFor(
    async () => {
      const r = await xdotool(['search', '--onlyvisible', '--name', `^${title}$`]);
      return r.code === 0 && r.out ? r.out.split('\n').pop() : null;
    },
    { timeout: 20_000, interval: 250, message: `the native "${title}" dialog` },
  );
  log(`native dialog "${title}" is window ${id}`);
  await xdotool(['windowfocus', '--sync', id]);
  await sleep(400);
  // Open dialog: Ctrl+L shows the location entry. Save dialog: the name entry has the focus already.
  await xdotool(save ? ['key', '--clearmodifiers', 'ctrl+a'] : ['key', '--clearmodifiers', 'ctrl+l']);
  await sleep(200);
  await xdotool(['type', '--delay', '15', filePath]);
  await sleep(300);
  await xdotool(['key', 'Return']);
  await waitFor(
    async () => {
      const r = await xdotool(['search', '--onlyvisible', '--name', `^${title}$`]);
      return r.code !== 0 || !r.out;
    },
    { timeout: 10_000, interval: 200, message: `the "${title}" dialog to close` },
  );
}
