// Alerts: "Alert me" on a topic (an instant rule, shown on its row), a rule made in the Alerts form, then a story
// that breaks (fixtures/agency-late-item.xml) fires one alert on the next fetch: the badge, the inbox, opening it
// (read, its deliveries), its mention in the reader, and a clicked desktop notification opening it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tid } from '../webdriver.mjs';
import { eventually, reads } from '../lib/assertions.mjs';
import { LATE_ITEM_FIXTURE, LATE_TITLE } from '../lib/fixture.mjs';
import { WAIT_MS, log } from '../lib/util.mjs';

export const name = 'alerts-inbox';
export const needs = ['topic-preview', 'reader-page-gone'];

export async function run(ctx) {
  const { wd, page, feed, topic, portTopic } = ctx;
  const PORT_RULE_NAME = `${portTopic.name}: new mentions`;
  const RULE_NAME = `${topic.name}: new mentions`;
  const ALERT_SUMMARY = `1 new mention of ${topic.name}: ${LATE_TITLE}`;

  // Alerts: "Alert me" on a topic, a rule made in the form, a story that breaks, the inbox and its badge.
  log('alerts');
  await page.goTo('topics');
  const portRowForAlert = await page.topicRowNamed(portTopic.name);
  assert.ok(portRowForAlert, `a topic-row named ${portTopic.name}`);
  await wd.click(await wd.findElement(tid('topic-alert-me'), portRowForAlert));
  await eventually(async () => {
    const rows = await page.topics();
    const row = rows.rows.find((r) => reads(r.name, portTopic.name));
    assert.ok(row && row.raw.includes(PORT_RULE_NAME), `the port topic's row shows its new rule: ${row && row.raw}`);
    assert.ok(/Instant/.test(row.raw), `the inline rule says its kind: ${row.raw}`);
    assert.ok(!row.raw.includes('Alert me'), `"Alert me" is gone once the topic has an instant rule: ${row.raw}`);
  });
  await page.assertNoErrorBanner('after "Alert me"');

  await page.goTo('alerts');
  await eventually(async () => {
    const a = await page.alerts();
    assert.ok(a.empty, `the inbox starts empty, got ${JSON.stringify(a.items)}`);
  });
  assert.equal(await page.unreadBadge(), null, 'no unread badge before any alert');
  await page.clickWhenEnabled('alerts-tab-rules');
  await eventually(async () => {
    const a = await page.alerts();
    assert.deepEqual(a.rules.map((r) => [r.name, r.kind]), [[PORT_RULE_NAME, 'Instant']], 'the rule made on Topics is listed');
    assert.match(a.rules[0].channels ?? '', /^Desktop, Inbox$/, `its channels, got ${JSON.stringify(a.rules[0].channels)}`);
  });
  await page.clickWhenEnabled('rule-new');
  await page.waitVisible('rule-form');
  await page.selectOptionText('rule-topic', topic.name);
  await wd.click(await page.waitVisible('rule-kind-instant'));
  // The form starts with the desktop and the inbox as channels.
  const channelRows = await wd.executeScript(
    `return [...document.querySelectorAll('[data-testid="rule-channel-kind"]')].map((s) => s.value);`,
  );
  assert.deepEqual(channelRows, ['desktop', 'inbox'], 'the new rule goes to the desktop and the inbox');
  await page.shot('alert-rule-form');
  await page.clickWhenEnabled('rule-save');
  await eventually(async () => {
    const a = await page.alerts();
    assert.equal(a.form, false, 'the form closes once the rule is saved');
    assert.ok(a.note && a.note.startsWith(`Created “${RULE_NAME}”.`), `rules-note, got ${JSON.stringify(a.note)}`);
    assert.deepEqual(a.rules.map((r) => r.name).sort(), [PORT_RULE_NAME, RULE_NAME].sort(), 'both rules are listed');
  });
  await page.assertNoErrorBanner('after creating a rule');
  await page.shot('alert-rules');

  // Only what a fetch stores after the rule exists alerts: a new story on the agency's feed, then "Fetch now".
  const late = feed.addAgencyItem(fs.readFileSync(LATE_ITEM_FIXTURE, 'utf8'));
  assert.equal(late.title, LATE_TITLE, 'the late item is the BRICS story');
  await page.goTo('sources');
  const agencyHitsBefore = feed.hitCount('/feeds/agency.xml');
  await page.clickWhenEnabled('fetch-now');
  await eventually(
    async () => {
      const s = await page.fetchState();
      assert.equal(s.progress, null, 'the fetch has finished');
      assert.ok(feed.hitCount('/feeds/agency.xml') > agencyHitsBefore, 'the agency feed was fetched again');
      const text = s.result && (s.result.text || s.result.raw);
      assert.match(text ?? '', /^1 new article from \d+ sources\b.* 1 alert fired; see Alerts\.$/, `fetch-result, got ${JSON.stringify(text)}`);
    },
    { timeout: Math.max(WAIT_MS, 60_000) },
  );
  // The navigation counts the unread alert, whatever page is open.
  await eventually(async () => assert.equal(await page.unreadBadge(), '1', 'the unread badge reads 1'), {
    timeout: Math.max(WAIT_MS, 30_000),
  });

  await page.goTo('alerts');
  const inbox = await eventually(async () => {
    const a = await page.alerts();
    assert.equal(a.tab, 'inbox', 'the Alerts page opens on the inbox');
    assert.equal(a.items.length, 1, `one alert in the inbox, got ${JSON.stringify(a.items)}`);
    const [item] = a.items;
    assert.equal(item.summary, ALERT_SUMMARY, 'alert-summary');
    assert.equal(item.topic, topic.name, 'alert-topic');
    assert.equal(item.kind, 'Instant', 'alert-kind');
    assert.ok(item.unread, 'the alert is unread');
    return a;
  });
  log(`inbox: ${JSON.stringify(inbox.items[0].summary)}`);
  await page.assertNoErrorBanner('on the inbox');
  const inboxShot = await page.shot('alerts');
  fs.copyFileSync(inboxShot, path.join(path.dirname(inboxShot), 'alerts.png')); // a stable name for the README

  // Opening it marks it read: the badge goes; its mention and its deliveries are shown.
  await page.clickWhenEnabled('alert-toggle');
  const opened = await eventually(async () => {
    const [item] = (await page.alerts()).items;
    assert.ok(item.open, 'the alert is open');
    assert.equal(item.unread, false, 'the opened alert is read');
    assert.deepEqual(item.mentions.map((m) => m.title), [LATE_TITLE], 'the alert lists the new mention');
    assert.equal(item.deliveries.length, 2, `a delivery for each channel, got ${JSON.stringify(item.deliveries)}`);
    assert.ok(item.deliveries.some((d) => d.startsWith('Inbox')), `the inbox delivery: ${JSON.stringify(item.deliveries)}`);
    assert.ok(item.deliveries.some((d) => d.startsWith('Desktop')), `the desktop delivery: ${JSON.stringify(item.deliveries)}`);
    assert.equal(await page.unreadBadge(), null, 'the unread badge is gone');
    return item;
  });
  log(`deliveries: ${JSON.stringify(opened.deliveries)}`);
  await page.shot('alert-opened');

  // Its mention opens in the reader.
  await wd.click(await page.waitVisible('alert-mention-title'));
  await page.waitVisible('page-mentions');
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d && reads(d.title, LATE_TITLE), `the reader shows the alert's mention, got ${JSON.stringify(d && d.title)}`);
  });
  await page.assertNoErrorBanner('after opening the mention of an alert');
  await page.shot('alert-mention');

  // A clicked desktop notification: the shell emits open-alert (the click itself, from the notification server
  // over D-Bus, is tested in src-tauri's notify.rs); the window goes to the alert, open, with its mentions.
  await wd.executeScript(
    `return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: 'open-alert', payload: { alert_id: arguments[0] } });`,
    [opened.id],
  );
  await page.waitVisible('page-alerts');
  await eventually(async () => {
    const a = await page.alerts();
    const item = a.items.find((i) => i.id === opened.id);
    assert.ok(item && item.open, `the notification's alert is open, got ${JSON.stringify(a.items)}`);
    assert.deepEqual(item.mentions.map((m) => m.title), [LATE_TITLE], 'with the mention behind it');
  });
  await page.assertNoErrorBanner('after a notification opened its alert');
  await page.shot('alert-from-notification');
}
