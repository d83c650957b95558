// OPML through the native file dialogs: an import whose folder becomes a group (one new source, one already
// present), a source's settings edited (folder, interval, full text), an export holding every source and folder.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tid } from '../webdriver.mjs';
import { eventually } from '../lib/assertions.mjs';
import { answerFileDialog } from '../lib/dialogs.mjs';
import { log } from '../lib/util.mjs';

export const name = 'import-opml';
export const needs = ['add-source-and-fetch'];

export async function run(ctx) {
  const { wd, page, feed, tmpDir } = ctx;
  const agencyName = ctx.sources.agency.name;

  // OPML through the native file dialogs; folders become groups; a source's settings are edited.
  log('OPML import and export through the native dialogs, groups, editing a source');
  const opmlIn = path.join(tmpDir, 'analyst-subscriptions.opml');
  fs.writeFileSync(
    opmlIn,
    `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Another reader's export</title></head><body>
  <outline text="Asia desk" title="Asia desk">
    <outline type="rss" text="Asia wire (e2e)" xmlUrl="${feed.asiaUrl}"/>
    <outline type="rss" text="ENA again" xmlUrl="${feed.agencyUrl}"/>
  </outline>
</body></opml>
`,
  );
  await page.clickWhenEnabled('opml-import');
  await answerFileDialog('Import OPML', opmlIn);
  await eventually(async () => {
    const note = await page.sourcesNote();
    assert.match(note ?? '', /Imported 1 source, 1 already present/, `OPML import note, got ${JSON.stringify(note)}`);
  });
  await eventually(async () => {
    const groups = await page.sourceGroups();
    const asia = groups.find((g) => g.group && g.group.startsWith('Asia desk'));
    assert.ok(asia, `a group "Asia desk" should be listed, got ${JSON.stringify(groups.map((g) => g.group))}`);
    assert.deepEqual(asia.rows.map((r) => r.name), ['Asia wire (e2e)']);
    assert.equal(asia.rows[0].next, 'due', 'an imported source is due at the next cycle');
    const ungrouped = groups.find((g) => g.group === null);
    const agency = ungrouped && ungrouped.rows.find((r) => r.name === agencyName);
    assert.ok(agency, 'the agency is not in a folder yet');
    assert.notEqual(agency.next, 'due', `the fetched agency shows its next fetch time, got ${JSON.stringify(agency.next)}`);
  });
  await page.assertNoErrorBanner('after the OPML import');
  await page.shot('opml-imported');

  const agencyRow = await page.sourceRowNamed(agencyName);
  await wd.click(await wd.findElement(tid('source-edit'), agencyRow));
  await page.waitVisible('source-editor');
  await page.setValue('edit-group', 'Agencies');
  await page.selectValue('edit-interval', 60);
  await page.selectValue('edit-full-text', 'always');
  await page.shot('source-editor');
  await page.clickWhenEnabled('edit-save');
  await eventually(async () => {
    assert.equal(await page.visible('source-editor'), null, 'the editor closes after saving');
    const groups = await page.sourceGroups();
    const agencies = groups.find((g) => g.group && g.group.startsWith('Agencies'));
    assert.ok(agencies, `a group "Agencies" should be listed, got ${JSON.stringify(groups.map((g) => g.group))}`);
    assert.deepEqual(agencies.rows.map((r) => r.name), [agencyName]);
    assert.match(agencies.rows[0].text, /every hour/, `the row shows the new interval: ${agencies.rows[0].text}`);
  });
  await page.assertNoErrorBanner('after editing a source');
  await page.shot('source-edited');

  const opmlOut = path.join(tmpDir, 'exported.opml');
  await page.clickWhenEnabled('opml-export');
  await answerFileDialog('Export OPML', opmlOut, { save: true });
  await eventually(async () => {
    const note = await page.sourcesNote();
    assert.match(note ?? '', /Exported 3 sources/, `OPML export note, got ${JSON.stringify(note)}`);
  });
  const exported = fs.readFileSync(opmlOut, 'utf8');
  for (const want of [feed.agencyUrl, feed.brokenUrl, feed.asiaUrl, 'text="Agencies"', 'text="Asia desk"']) {
    assert.ok(exported.includes(want), `the exported OPML should contain ${want}:\n${exported}`);
  }
  log(`exported OPML: ${exported.length} bytes, 3 sources in 2 folders`);
}
