// Reports: the live count of the scope, then a PDF and an XLSX exported through the native save dialog (a format
// whose export shows an error banner fails the workflow, after the other format was tried).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../webdriver.mjs';
import { eventually } from '../lib/assertions.mjs';
import { answerFileDialog } from '../lib/dialogs.mjs';
import { WAIT_MS, log } from '../lib/util.mjs';

export const name = 'reports-export';
export const needs = ['topic-preview'];

export async function run(ctx) {
  const { wd, page, tmpDir } = ctx;

  // The Reports page counts the scope live and exports a PDF and an XLSX through the native save dialog.
  log('reports');
  await page.goTo('reports');
  await page.clickWhenEnabled('report-period-all');
  /** The live count's sentence once it names a number of mentions above 0. */
  const liveCount = () =>
    eventually(async () => {
      const text = await wd.executeScript(
        `const e = document.querySelector('[data-testid="report-count"]'); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`,
      );
      const n = Number(((text || '').match(/^([\d,]+) mentions? in /) || [])[1]?.replace(/,/g, ''));
      assert.ok(n > 0, `report-count names a number of mentions above 0, got ${JSON.stringify(text)}`);
      return text;
    });
  const reportFailures = [];
  for (const [format, file, magic] of [
    ['pdf', 'report.pdf', '%PDF'],
    ['xlsx', 'report.xlsx', 'PK'],
  ]) {
    await page.clickWhenEnabled(`report-format-${format}`);
    const sentence = await liveCount();
    log(`reports (${format}): ${sentence}`);
    if (format === 'pdf') {
      await page.waitVisible('report-preview');
      await page.shot('reports-page');
    }
    const target = path.join(tmpDir, file);
    await page.clickWhenEnabled('report-export');
    await answerFileDialog('Export report', target, { save: true });
    const outcome = await waitFor(
      async () => {
        if (await page.visible('report-result')) return { ok: true };
        const errs = await page.errors();
        return errs.length > 0 ? { ok: false, error: errs.join(' | ') } : null;
      },
      { timeout: Math.max(WAIT_MS, 60_000), message: `report-result for ${file}` },
    );
    if (!outcome.ok) {
      log(`FAIL: exporting ${format} showed an error: ${outcome.error}`);
      reportFailures.push(`${format}: ${outcome.error}`);
      await page.shot(`report-${format}-error`);
      await wd.executeScript(`const b = document.querySelector('[aria-label="Dismiss error"]'); if (b) b.click();`);
      continue;
    }
    assert.ok(fs.existsSync(target), `${target} was written`);
    const bytes = fs.readFileSync(target);
    assert.equal(bytes.subarray(0, magic.length).toString('latin1'), magic, `${file} starts with ${magic}`);
    if (format === 'pdf') assert.ok(bytes.length > 10 * 1024, `${file} is over 10 KB, got ${bytes.length} bytes`);
    const shown = await wd.executeScript(
      `const e = document.querySelector('[data-testid="report-result"]'); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`,
    );
    assert.ok(shown && shown.includes(file), `report-result names the file, got ${JSON.stringify(shown)}`);
    assert.ok(await page.visible('report-open'), 'report-result offers "Open"');
    log(`exported ${file}: ${bytes.length} bytes; ${shown}`);
    if (format === 'pdf') await page.shot('report-exported');
  }
  assert.deepEqual(reportFailures, [], 'every report format exports');
  await page.shot('report-xlsx-exported');
}
