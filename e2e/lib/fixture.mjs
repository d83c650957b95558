// The fixture files, and what the workflows expect from them (titles, the seed page's text and furniture).
// Names the workflows choose themselves (sources, topics) live in the workflow that makes them and reach the
// later ones through `ctx` (see run.mjs).

import path from 'node:path';
import { E2E_DIR } from './util.mjs';

export const FIXTURES = path.join(E2E_DIR, 'fixtures');
export const FIXTURE = path.join(FIXTURES, 'agency-feed.xml');
export const REPUBLISHER_FIXTURE = path.join(FIXTURES, 'republisher-feed.xml');
export const LATE_ITEM_FIXTURE = path.join(FIXTURES, 'agency-late-item.xml'); // added to the agency feed by 09-alerts-inbox
export const ARTICLES_DIR = path.join(FIXTURES, 'articles'); // article pages, served at /articles/<file name without .html>

export const SEED_TITLE =
  "Putin and Wang Yi prepare Xi's May visit, discuss UN, Shanghai Cooperation Organisation and BRICS";
// The seed's article page (fixtures/articles/putin-wang-yi-moscow-talks.html): paragraphs only the page has (the
// feed gives the opening paragraph), the site name in its <head>, its picture, and its furniture, none of which
// may reach the reader.
export const SEED_PAGE_ONLY = [
  'Most of the meeting was spent getting ready for a visit to Russia by Chinese President Xi Jinping',
  'There is even talk of doing away with visa requirements between Russia and China altogether',
  'Diplomats in both capitals expect the summit season to continue into the summer',
  'Neither ministry issued a written statement on the talks by Tuesday evening.',
];
export const SEED_SITE_NAME = 'ENA World Wire';
export const SEED_IMAGE = '/img/moscow-talks.png';
export const PAGE_FURNITURE = [
  'Related', // the related-stories box: "Related coverage"
  'Foreign minister begins a tour',
  'cookie', // the cookie banner
  'Accept all cookies',
  'dataLayer', // the scripts
  'trackPageview',
  'Front page', // the navigation
  'World desk',
  'Markets and money',
  'Subscribe for unlimited access',
  'morning briefing', // the newsletter box
  'All rights reserved', // the footer
];
// The republisher (fixtures/republisher-feed.xml): its one item is a syndicated copy of the seed story.
export const COPY_TITLE = "Xi's visit to Russia pencilled in for May as Putin receives Wang Yi";
// Agency item 4, whose article page is gone (404).
export const PORT_TITLE = 'Port of Kelmar clears container backlog after conveyor belt repair';
// fixtures/agency-late-item.xml: a BRICS story that breaks once the alert rules exist.
export const LATE_TITLE = 'BRICS finance ministers set up a working group on cross-border payments';
