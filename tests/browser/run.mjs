#!/usr/bin/env node
// Browser, accessibility and validity checks for the built site in public/.
//
//   node tests/browser/run.mjs                 one page of every page type + validators
//   node tests/browser/run.mjs --all           every HTML page (slower)
//   node tests/browser/run.mjs --validate-only Nu HTML checker + XML checks only
//   node tests/browser/run.mjs --no-validate   browser checks only
//   --public DIR                               another built site (default: ./public)
//   --no-editions                              skip the editions scenario (below)
//   --editions-only                            only the editions scenario
//
// The editions scenario needs the insyn binary (target/release/insyn, or
// target/debug/insyn, or $INSYN): it makes a site with `insyn init`,
// publishes it, adds a quarter, removes its report and builds again; then
// every address of the first site must answer with a page (HTTP 200), and a
// frozen edition page, an embed page and a page for a gone address get the
// same browser checks and the Nu checker as the demo's pages.
//
// Needs: npm ci (playwright-core, axe-core, vnu-jar), Debian's /usr/bin/chromium, java.
// Ends with the line "N passed, N failed" and exits 1 when anything failed.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

// ---------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
const opt = {
  all: argv.includes('--all'),
  validateOnly: argv.includes('--validate-only'),
  noValidate: argv.includes('--no-validate'),
  noEditions: argv.includes('--no-editions'),
  editionsOnly: argv.includes('--editions-only'),
  public: path.join(REPO, 'public'),
};
const pi = argv.indexOf('--public');
if (pi >= 0 && argv[pi + 1]) opt.public = path.resolve(argv[pi + 1]);

// ---------------------------------------------------------------- results
let passed = 0;
let failed = 0;
function record(name, ok, details = []) {
  if (ok) {
    passed += 1;
    console.log(`ok    ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL  ${name}`);
  }
  for (const d of details) console.log(`        ${d}`);
}

// ---------------------------------------------------------------- discovery
const exists = (p) => fs.existsSync(p);
const isDir = (p) => exists(p) && fs.statSync(p).isDirectory();
const subdirsWithIndex = (dir) =>
  isDir(dir)
    ? fs.readdirSync(dir).filter((d) => exists(path.join(dir, d, 'index.html'))).sort()
    : [];

/** One page of every page type: [{ name, path, status }]; `missing` lists required types not found. */
function discoverPages(pub) {
  const pages = [];
  const missing = [];
  const add = (name, urlPath, required, status = 200) => {
    if (urlPath) pages.push({ name, path: urlPath, status });
    else if (required) missing.push(name);
  };
  const top = (dir) => (exists(path.join(pub, dir, 'index.html')) ? `/${dir}/` : null);
  const first = (dir) => {
    const subs = subdirsWithIndex(path.join(pub, dir));
    return subs.length ? `/${dir}/${subs[0]}/` : null;
  };
  const newest = (dir) => {
    const subs = subdirsWithIndex(path.join(pub, dir));
    return subs.length ? `/${dir}/${subs[subs.length - 1]}/` : null;
  };
  add('home', exists(path.join(pub, 'index.html')) ? '/' : null, true);
  add('report-archive', top('rapporter'), true);
  add('report', newest('rapporter'), true);
  add('unit', first('units'), true);
  add('measure', first('measures'), true);
  add('chart', first('charts'), true);
  const chart = first('charts');
  add('chart-embed', chart && exists(path.join(pub, chart, 'embed', 'index.html')) ? `${chart}embed/` : null, true);
  add('data', top('data'), true);
  add('accessibility', top('accessibility'), true);
  add('not-found', exists(path.join(pub, '404.html')) ? '/this-page-does-not-exist/' : null, true, 404);
  const revisions = ['revisions', 'revisioner', 'andringar'].map(top).find(Boolean);
  add('revisions', revisions, false);
  // Any other top-level page (e.g. units/ or measures/ listings) is a page type too.
  const known = new Set(['rapporter', 'data', 'accessibility', 'revisions', 'revisioner', 'andringar', 'static']);
  for (const d of subdirsWithIndex(pub)) {
    if (!known.has(d)) add(`${d}-index`, `/${d}/`, false);
  }
  return { pages, missing };
}

/** Every HTML page of the site (for --all). */
function allPages(pub) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html') && e.name !== '404.html') {
        const rel = '/' + path.relative(pub, p).split(path.sep).join('/');
        out.push({ name: rel.replace(/index\.html$/, ''), path: rel.replace(/index\.html$/, ''), status: 200 });
      }
    }
  };
  walk(pub);
  out.push({ name: 'not-found', path: '/this-page-does-not-exist/', status: 404 });
  return out;
}

function filesUnder(dir, ext) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(p);
    }
  };
  if (isDir(dir)) walk(dir);
  return out.sort();
}

// ---------------------------------------------------------------- browser helpers
async function routeAll(context, outside) {
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || LOOPBACK.has(u.hostname)) return route.continue();
    outside.push(u.href);
    return route.abort('blockedbyclient');
  });
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function runAxe(page) {
  // Runtime.evaluate is not subject to the page's CSP, so axe can run under a strict policy.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary || '').replace(/\s+/g, ' ') })),
    }));
  }, AXE_TAGS);
}

function axeDetails(violations) {
  const out = [];
  for (const v of violations) {
    out.push(`${v.id} [${v.impact}] ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})`);
    for (const n of v.nodes.slice(0, 8)) out.push(`    target: ${n.target}  — ${n.summary.slice(0, 240)}`);
    if (v.nodes.length > 8) out.push(`    … ${v.nodes.length - 8} more`);
  }
  return out;
}

/** Collects the focusable elements in DOM order and marks them; returns their descriptions. */
async function markFocusables(page) {
  return page.evaluate(() => {
    const STYLE_PROPS = [
      'outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor',
      'borderTopColor', 'borderTopWidth', 'borderBottomColor', 'borderBottomWidth', 'textDecorationLine', 'textDecorationThickness',
    ];
    window.__styleOf = (el) => {
      const cs = getComputedStyle(el);
      const o = {};
      for (const p of STYLE_PROPS) o[p] = cs[p];
      return o;
    };
    window.__describe = (el) => {
      const text = (el.getAttribute('aria-label') || el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 50);
      const href = el.getAttribute('href');
      const cls = el.getAttribute('class');
      return `<${el.tagName.toLowerCase()}${cls ? ` class="${cls}"` : ''}${href ? ` href="${href}"` : ''}> "${text}"`;
    };
    const sel = [
      'a[href]', 'area[href]', 'button:not([disabled])', 'input:not([disabled]):not([type="hidden"])',
      'select:not([disabled])', 'textarea:not([disabled])', 'details > summary:first-of-type', 'iframe',
      '[tabindex]', '[contenteditable=""]', '[contenteditable="true"]',
    ].join(',');
    const positive = [];
    const els = [...document.querySelectorAll(sel)].filter((el) => {
      if (el.closest('[inert]')) return false;
      const ti = el.getAttribute('tabindex');
      if (ti !== null && parseInt(ti, 10) < 0) return false;
      if (ti !== null && parseInt(ti, 10) > 0) positive.push(window.__describe(el));
      return el.checkVisibility({ checkVisibilityCSS: true });
    });
    document.activeElement?.blur?.();
    return {
      positive,
      list: els.map((el, i) => {
        el.setAttribute('data-tab-idx', String(i));
        return { desc: window.__describe(el), unfocused: window.__styleOf(el) };
      }),
    };
  });
}

function focusVisible(before, after) {
  if (!after) return false;
  const outline = after.outlineStyle !== 'none' && parseFloat(after.outlineWidth) > 0;
  if (outline && (!before || before.outlineStyle === 'none' || before.outlineColor !== after.outlineColor ||
    before.outlineWidth !== after.outlineWidth)) return true;
  if (!before) return after.boxShadow !== 'none';
  if (after.boxShadow !== 'none' && after.boxShadow !== before.boxShadow) return true;
  if (after.backgroundColor !== before.backgroundColor) return true;
  // Border colours follow currentColor, so they count only where a border is drawn.
  if (parseFloat(after.borderBottomWidth) > 0 && after.borderBottomColor !== before.borderBottomColor) return true;
  if (parseFloat(after.borderTopWidth) > 0 && after.borderTopColor !== before.borderTopColor) return true;
  if (after.borderBottomWidth !== before.borderBottomWidth || after.borderTopWidth !== before.borderTopWidth) return true;
  if (after.textDecorationLine !== before.textDecorationLine || after.textDecorationThickness !== before.textDecorationThickness) return true;
  return false;
}

async function checkKeyboard(page, label) {
  const { positive, list } = await markFocusables(page);
  const problems = [];
  for (const p of positive) problems.push(`positive tabindex changes the order: ${p}`);
  const order = [];
  const extras = [];
  const limit = list.length + 20;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      const cs = getComputedStyle(el);
      const scroller = /(auto|scroll)/.test(cs.overflowX + cs.overflowY) &&
        (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
      return { idx: el.getAttribute('data-tab-idx'), desc: window.__describe(el), focused: window.__styleOf(el), scroller };
    });
    if (!info) break;
    if (info.idx !== null && order.length && Number(info.idx) === order[0].idx) break; // wrapped round
    if (info.idx === null) {
      extras.push(info);
      if (!info.scroller) problems.push(`focus went to an element that is not a link, button or [tabindex]: ${info.desc}`);
      else if (!focusVisible(null, info.focused)) problems.push(`no visible focus indicator on scroll container ${info.desc}`);
      continue;
    }
    const idx = Number(info.idx);
    if (process.env.DEBUG_TAB) console.log('  tab', idx, info.desc, JSON.stringify(info.focused), JSON.stringify(list[idx].unfocused));
    order.push({ idx });
    const before = list[idx].unfocused;
    if (!focusVisible(before, info.focused)) {
      problems.push(`no visible focus indicator: ${info.desc} (outline ${info.focused.outlineStyle} ${info.focused.outlineWidth}, box-shadow ${info.focused.boxShadow}, background ${info.focused.backgroundColor})`);
    }
  }
  const got = order.map((o) => o.idx);
  const missed = list.map((_, i) => i).filter((i) => !got.includes(i));
  for (const i of missed.slice(0, 10)) problems.push(`never received focus from Tab: ${list[i].desc}`);
  if (missed.length > 10) problems.push(`… ${missed.length - 10} more never received focus`);
  const sorted = got.every((v, i) => i === 0 || v > got[i - 1]);
  if (!sorted) problems.push(`Tab order differs from document order: ${got.slice(0, 40).join(',')}`);
  await page.evaluate(() => document.activeElement?.blur?.());
  const note = extras.filter((e) => e.scroller).map((e) => `note: scroll container is a focus stop: ${e.desc}`);
  record(`${label}: keyboard — ${list.length} focusable elements reached in order with a visible focus indicator`,
    problems.length === 0, [...problems.slice(0, 25), ...(problems.length > 25 ? [`… ${problems.length - 25} more`] : []), ...note.slice(0, 3)]);
}

/**
 * Every table cell on the page, at the current (phone) width, with every
 * <details> opened: either it lies within the viewport, or it is inside a
 * horizontally scrolling container that is itself within the viewport and
 * whose scrollWidth reaches the cell. A container that does scroll must be
 * reachable by keyboard (tabindex="0"), have a label (aria-label or
 * aria-labelledby) and show a scroll cue without JavaScript (a background
 * gradient: the scroll shadow).
 */
async function checkTablesAt360(page) {
  return page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const vw = document.documentElement.clientWidth;
    const problems = [];
    const seen = new Set();
    const describe = (el) => `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}>`;
    const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    let cells = 0;
    for (const cell of document.querySelectorAll('table th, table td')) {
      const r = cell.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      cells += 1;
      let box = null;
      for (let p = cell.parentElement; p && p !== document.body; p = p.parentElement) {
        if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) { box = p; break; }
      }
      if (!box) {
        if (r.left < -1 || r.right > vw + 1) problems.push(`cell "${text(cell)}" is cut off: ${Math.round(r.left)}–${Math.round(r.right)}px in a ${vw}px viewport, and no container scrolls`);
        continue;
      }
      const b = box.getBoundingClientRect();
      const scrolls = /(auto|scroll)/.test(getComputedStyle(box).overflowX);
      if (b.left < -1 || b.right > vw + 1) {
        problems.push(`${describe(box)} holding "${text(cell)}" runs past the viewport (${Math.round(b.right)}px of ${vw}px)`);
        continue;
      }
      // Where the cell ends within the container's scrollable content.
      const end = r.right - b.left + box.scrollLeft - box.clientLeft;
      if (!scrolls && (r.right > b.right + 1 || r.left < b.left - 1)) {
        problems.push(`cell "${text(cell)}" is clipped by ${describe(box)}, which does not scroll`);
      } else if (end > box.scrollWidth + 1) {
        problems.push(`cell "${text(cell)}" ends at ${Math.round(end)}px, past the ${box.scrollWidth}px a reader can scroll to`);
      }
      if (scrolls && box.scrollWidth > box.clientWidth + 1 && !seen.has(box)) {
        seen.add(box);
        const name = box.getAttribute('aria-label') || box.getAttribute('aria-labelledby');
        if (box.tabIndex < 0) problems.push(`${describe(box)} scrolls but cannot be reached by keyboard (no tabindex="0")`);
        if (!name) problems.push(`${describe(box)} scrolls but has no label (aria-label)`);
        if (!/gradient/.test(getComputedStyle(box).backgroundImage)) problems.push(`${describe(box)} scrolls but shows no scroll cue (a background gradient)`);
      }
    }
    return { cells, problems };
  });
}

async function checkPage(browser, origin, pg, shots) {
  const label = `${pg.name} (${pg.path})`;
  const outside = [];
  const csp = [];
  const errors = [];

  // ---- JavaScript enabled
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', reducedMotion: 'reduce' });
  await routeAll(context, outside);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/content[ -]security[ -]policy/i.test(m.text())) csp.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`event: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || ''}:${e.lineNumber || ''}`);
    });
  });
  let response;
  try {
    response = await page.goto(origin + pg.path, { waitUntil: 'load' });
  } catch (e) {
    record(`${label}: loads`, false, [String(e.message || e)]);
    await context.close();
    return;
  }
  const status = response ? response.status() : 0;
  record(`${label}: HTTP status ${pg.status}`, status === pg.status, status === pg.status ? [] : [`got ${status}`]);

  const meta = await page.evaluate(() => {
    const m = document.querySelector('meta[http-equiv="Content-Security-Policy" i]');
    return m ? m.getAttribute('content') : null;
  });
  const cspProblems = [];
  if (!meta) cspProblems.push('no <meta http-equiv="Content-Security-Policy">');
  else {
    const dirs = Object.fromEntries(meta.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map((d) => [d[0].toLowerCase(), d.slice(1)]));
    const scriptSrc = dirs['script-src'] || dirs['default-src'];
    if (!scriptSrc) cspProblems.push(`policy restricts neither script-src nor default-src: ${meta}`);
    else if (scriptSrc.some((s) => ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:'].includes(s.toLowerCase())))
      cspProblems.push(`script sources are not strict: ${scriptSrc.join(' ')}`);
  }
  record(`${label}: strict Content-Security-Policy meta element`, cspProblems.length === 0, cspProblems);

  // Keyboard before axe: nothing has been focused yet, so Tab starts at the top of the document.
  await checkKeyboard(page, label);

  // CSP violations so far (axe's own injection is exempt from CSP, see runAxe).
  await page.waitForTimeout(50);
  const events = await page.evaluate(() => window.__cspViolations || []);
  const allCsp = [...csp, ...events];
  record(`${label}: no Content-Security-Policy violations`, allCsp.length === 0, allCsp.slice(0, 10));

  const light = await runAxe(page);
  record(`${label}: axe WCAG 2.1 A/AA (light colour scheme) — 0 violations`, light.length === 0, axeDetails(light));
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await runAxe(page);
  record(`${label}: axe WCAG 2.1 A/AA (dark colour scheme) — 0 violations`, dark.length === 0, axeDetails(dark));
  await page.emulateMedia({ colorScheme: 'light' });

  // ---- reflow at 360 px; screenshots at 1280 and 360 px
  {
    const slug = pg.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'page';
    // Lazy images below the fold would be blank in a full-page screenshot: load them all first.
    await page.evaluate(() => Promise.all([...document.images].map((img) => {
      img.loading = 'eager';
      return img.complete ? null : new Promise((r) => { img.onload = img.onerror = r; });
    })));
    if (shots) await page.screenshot({ path: path.join(ARTIFACTS, `${slug}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForTimeout(50);
    const overflow = await page.evaluate(() => {
      const de = document.documentElement;
      if (de.scrollWidth <= de.clientWidth + 1) return [];
      const inScroller = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) return true;
        }
        return false;
      };
      // Boxes that stick out, and boxes whose text sticks out of them (a long word).
      const wide = [...document.body.querySelectorAll('*')]
        .filter((el) => (el.getBoundingClientRect().right > de.clientWidth + 1 ||
          (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0)) && !inScroller(el))
        .slice(0, 6)
        .map((el) => `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}> right edge ${Math.round(el.getBoundingClientRect().right)}px, content ${el.scrollWidth}px in ${el.clientWidth}px: "${(el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60)}"`);
      return [`page is ${de.scrollWidth}px wide in a ${de.clientWidth}px viewport`, ...wide];
    });
    record(`${label}: no horizontal scrolling at 360 px`, overflow.length === 0, overflow);
    const tables = await checkTablesAt360(page);
    if (tables.cells > 0) {
      record(`${label}: ${tables.cells} table cells at 360 px are visible or reachable by scrolling a labelled, focusable region with a scroll cue`,
        tables.problems.length === 0, tables.problems.slice(0, 10));
    }
    if (shots) await page.screenshot({ path: path.join(ARTIFACTS, `${slug}-360.png`), fullPage: true });
  }
  await context.close();

  // ---- JavaScript disabled
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  await routeAll(noJs, outside);
  const p2 = await noJs.newPage();
  await p2.goto(origin + pg.path, { waitUntil: 'load' });
  const h1 = p2.locator('h1').first();
  const h1Count = await p2.locator('h1').count();
  const visible = h1Count > 0 && (await h1.isVisible());
  const text = h1Count > 0 ? (await h1.innerText()).trim() : '';
  record(`${label}: without JavaScript the main heading is visible`, visible && text.length > 0,
    visible && text ? [] : [`h1 elements: ${h1Count}, visible: ${visible}, text: "${text}"`]);
  await noJs.close();

  record(`${label}: no request to any other host`, outside.length === 0, [...new Set(outside)].slice(0, 10).map((u) => `blocked: ${u}`));
  record(`${label}: no script errors`, errors.length === 0, errors.slice(0, 5));
}

// ---------------------------------------------------------------- validators
function startVnu(pub) {
  const jar = path.join(REPO, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  return new Promise((resolve) => {
    if (!exists(jar)) {
      resolve({ error: `missing ${jar}: run npm ci` });
      return;
    }
    const child = spawn('java', ['-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', pub], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => resolve({ error: `cannot run java: ${e.message}` }));
    child.on('close', (code) => resolve({ code, out }));
  });
}

function reportVnu(pub, result, htmlCount) {
  const name = `Nu HTML checker: ${htmlCount} HTML files, 0 errors`;
  if (result.error) {
    record(name, false, [result.error]);
    return;
  }
  let messages;
  try {
    messages = JSON.parse(result.out.slice(result.out.indexOf('{'))).messages;
  } catch {
    record(name, false, [`exit ${result.code}; unreadable output:`, ...result.out.split('\n').slice(0, 20)]);
    return;
  }
  const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  // Group by message: a template mistake repeats on every page made from it.
  const groups = new Map();
  for (const m of errors) {
    const file = decodeURIComponent((m.url || '').replace(/^file:/, '')).replace(pub + '/', '');
    const key = m.message;
    if (!groups.has(key)) groups.set(key, { count: 0, files: new Set(), where: `${file}:${m.lastLine || '?'}:${m.firstColumn || m.lastColumn || '?'}`, extract: (m.extract || '').replace(/\s+/g, ' ').trim() });
    const g = groups.get(key);
    g.count += 1;
    g.files.add(file);
  }
  const details = [];
  for (const [msg, g] of groups) {
    details.push(`${msg} — ${g.count}× in ${g.files.size} file(s), e.g. ${g.where}`);
    if (g.extract) details.push(`    ${g.extract.slice(0, 160)}`);
  }
  if (errors.length === 0 && result.code !== 0) details.push(`vnu exited ${result.code}`);
  record(name, errors.length === 0 && result.code === 0, details);
}

async function checkXml(browser, pub) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  await page.setContent('<!doctype html><title>xml</title>');
  const parse = (text, type) => page.evaluate(([t, ty]) => {
    const d = new DOMParser().parseFromString(t, ty);
    const err = d.getElementsByTagName('parsererror')[0];
    if (err) return { error: err.textContent.replace(/\s+/g, ' ').trim().slice(0, 200) };
    const r = d.documentElement;
    const kids = (name) => [...r.children].filter((c) => c.localName === name);
    return {
      root: r.localName,
      ns: r.namespaceURI,
      entries: kids('entry').length,
      entryProblems: kids('entry').flatMap((e, i) => ['id', 'title', 'updated', 'link']
        .filter((n) => ![...e.children].some((c) => c.localName === n)).map((n) => `entry ${i + 1} has no <${n}>`)),
      locs: kids('url').map((u) => ([...u.children].find((c) => c.localName === 'loc') || {}).textContent || ''),
      hasTitle: [...r.children].some((c) => c.localName === 'title'),
    };
  }, [text, type]);

  const svgs = filesUnder(pub, '.svg');
  const svgProblems = [];
  for (const f of svgs) {
    const r = await parse(fs.readFileSync(f, 'utf8'), 'image/svg+xml');
    const rel = path.relative(pub, f);
    if (r.error) svgProblems.push(`${rel}: ${r.error}`);
    else if (r.root !== 'svg' || r.ns !== 'http://www.w3.org/2000/svg') svgProblems.push(`${rel}: root is {${r.ns}}${r.root}, not an SVG <svg>`);
  }
  record(`SVG: ${svgs.length} files parse as XML with an <svg> root`, svgs.length > 0 && svgProblems.length === 0,
    svgs.length ? svgProblems.slice(0, 20) : ['no *.svg under public/']);

  const feedPath = path.join(pub, 'feed.xml');
  if (!exists(feedPath)) record('feed.xml: Atom feed', false, ['feed.xml is missing']);
  else {
    const r = await parse(fs.readFileSync(feedPath, 'utf8'), 'application/xml');
    const p = [];
    if (r.error) p.push(r.error);
    else {
      if (r.root !== 'feed' || r.ns !== 'http://www.w3.org/2005/Atom') p.push(`root is {${r.ns}}${r.root}, expected {http://www.w3.org/2005/Atom}feed`);
      if (!r.hasTitle) p.push('feed has no <title>');
      if (r.entries === 0) p.push('feed has no <entry>');
      p.push(...r.entryProblems);
    }
    record(`feed.xml: parses, Atom <feed> with ${r.entries || 0} entries`, p.length === 0, p);
  }

  const smPath = path.join(pub, 'sitemap.xml');
  if (!exists(smPath)) record('sitemap.xml: sitemap', false, ['sitemap.xml is missing']);
  else {
    const r = await parse(fs.readFileSync(smPath, 'utf8'), 'application/xml');
    const p = [];
    if (r.error) p.push(r.error);
    else {
      if (r.root !== 'urlset' || r.ns !== 'http://www.sitemaps.org/schemas/sitemap/0.9') p.push(`root is {${r.ns}}${r.root}, expected {http://www.sitemaps.org/schemas/sitemap/0.9}urlset`);
      if (r.locs.length === 0) p.push('sitemap lists no <url><loc>');
      // Every address under the site's base_url must be a file in the build.
      const site = exists(path.join(REPO, 'site.toml')) && path.resolve(pub) === path.join(REPO, 'public')
        ? fs.readFileSync(path.join(REPO, 'site.toml'), 'utf8') : '';
      const base = (site.match(/^\s*base_url\s*=\s*"([^"]+)"/m) || [])[1];
      for (const loc of r.locs) {
        if (!/^https?:\/\//.test(loc)) p.push(`not an absolute address: ${loc}`);
        else if (base && loc.startsWith(base)) {
          let rel = decodeURIComponent(loc.slice(base.length).split('#')[0]);
          if (rel === '' || rel.endsWith('/')) rel += 'index.html';
          if (!exists(path.join(pub, rel))) p.push(`no such file in the build: ${loc}`);
        }
      }
    }
    record(`sitemap.xml: parses, <urlset> with ${(r.locs || []).length} addresses that exist`, p.length === 0, p.slice(0, 20));
  }
  await context.close();
}

// ---------------------------------------------------------------- editions scenario
function insynBinary() {
  const candidates = [process.env.INSYN, path.join(REPO, 'target', 'release', 'insyn'), path.join(REPO, 'target', 'debug', 'insyn')];
  return candidates.find((c) => c && exists(c));
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', (e) => resolve({ code: -1, err: e.message }));
    child.on('close', (code) => resolve({ code, err }));
  });
}

const pageAddresses = (pub) => filesUnder(pub, 'index.html')
  .map((f) => '/' + path.relative(pub, f).split(path.sep).join('/').replace(/index\.html$/, ''))
  .filter((p) => !p.startsWith('/editions/'));

/** Builds the scenario's site; returns { pub, before, pages } or null when it cannot. */
async function editionsSite() {
  const bin = insynBinary();
  if (!bin) {
    record('editions scenario: insyn binary', false, ['no target/release/insyn or target/debug/insyn: cargo build --release first (or set INSYN)']);
    return null;
  }
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(require('node:os').tmpdir()), 'insyn-editions-'));
  const site = path.join(dir, 'site');
  const pub = path.join(site, 'public');
  const steps = [
    ['init', site],
    ['publish', '--root', site, '--date', '2026-01-20'],
  ];
  for (const args of steps) {
    const r = await run(bin, ['--quiet', ...args]);
    if (r.code !== 0) {
      record(`editions scenario: insyn ${args[0]}`, false, r.err.split('\n').slice(0, 10));
      return null;
    }
  }
  const before = pageAddresses(pub);
  // A new quarter (the last one's rows again), and the report taken down.
  const csvFile = path.join(site, 'data', 'arenden-och-bemanning.csv');
  const csv = fs.readFileSync(csvFile, 'utf8');
  const last = csv.trim().split('\n').map((l) => l.split(',')[0]).filter((p) => /^\d{4}Q[1-4]$/.test(p)).sort().pop();
  const [y, q] = [Number(last.slice(0, 4)), Number(last.slice(5))];
  const next = q === 4 ? `${y + 1}Q1` : `${y}Q${q + 1}`;
  const more = csv.split('\n').filter((l) => l.startsWith(last + ',')).map((l) => next + l.slice(last.length)).join('\n');
  fs.writeFileSync(csvFile, csv.replace(/\n?$/, '\n') + more + '\n');
  const reports = path.join(site, 'content', 'rapporter');
  const report = fs.readdirSync(reports).find((f) => f !== '_index.md' && f.endsWith('.md'));
  fs.rmSync(path.join(reports, report));
  const r = await run(bin, ['--quiet', 'build', '--root', site]);
  if (r.code !== 0) {
    record('editions scenario: insyn build after a new quarter', false, r.err.split('\n').slice(0, 10));
    return null;
  }
  const editionsDir = path.join(pub, 'editions');
  const frozen = (isDir(editionsDir) ? fs.readdirSync(editionsDir).sort() : [])
    .flatMap((e) => subdirsWithIndex(path.join(pub, 'editions', e, 'charts')).map((c) => `/editions/${e}/charts/${c}/`));
  const chart = subdirsWithIndex(path.join(pub, 'charts')).map((c) => `/charts/${c}/`)[0];
  const gone = before.find((p) => fs.readFileSync(path.join(pub, p, 'index.html'), 'utf8').includes('name="robots" content="noindex"') && !p.endsWith('/embed/'));
  const pages = [
    { name: 'edition-frozen-chart', path: frozen[0], status: 200 },
    { name: 'edition-chart-embed', path: chart && `${chart}embed/`, status: 200 },
    { name: 'edition-gone-address', path: gone, status: 200 },
  ];
  for (const pg of pages) if (!pg.path) record(`editions scenario: a page of type "${pg.name}"`, false, ['not found in the build']);
  return { pub, before, pages: pages.filter((p) => p.path) };
}

async function checkAddresses(origin, before) {
  const problems = [];
  for (const p of before) {
    const res = await fetch(origin + p).catch((e) => ({ status: String(e) }));
    const type = res.headers?.get('content-type') || '';
    if (res.status !== 200 || !type.includes('text/html')) problems.push(`${p}: ${res.status} ${type}`);
  }
  record(`editions scenario: all ${before.length} addresses of the published site answer with a page after a new quarter`, before.length > 0 && problems.length === 0, problems.slice(0, 20));
}

// ---------------------------------------------------------------- main
async function main() {
  if (!opt.editionsOnly && !exists(path.join(opt.public, 'index.html'))) {
    record(`built site in ${opt.public}`, false, ['no index.html: run `cargo run --release -- build` first']);
    return;
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const htmlCount = filesUnder(opt.public, '.html').length;
  const vnu = opt.noValidate || opt.editionsOnly ? null : startVnu(opt.public); // runs on the other core meanwhile

  const started = Date.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    if (!opt.validateOnly && !opt.editionsOnly) {
      const { server, origin } = await serve(opt.public);
      try {
        const { pages, missing } = discoverPages(opt.public);
        for (const m of missing) record(`page type "${m}" exists in the build`, false, ['not found under public/']);
        const list = opt.all ? allPages(opt.public) : pages;
        console.log(`# ${list.length} pages on ${origin}: ${list.map((p) => p.name).join(', ')}`);
        for (const pg of list) {
          const t0 = Date.now();
          await checkPage(browser, origin, pg, !opt.all);
          console.log(`# ${pg.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        }
      } finally {
        server.close();
      }
    }
    if (!opt.noValidate && !opt.editionsOnly) await checkXml(browser, opt.public);
    if (!opt.noEditions && !opt.validateOnly) {
      const ed = await editionsSite();
      if (ed) {
        const { server, origin } = await serve(ed.pub);
        try {
          await checkAddresses(origin, ed.before);
          for (const pg of ed.pages) await checkPage(browser, origin, pg, true);
        } finally {
          server.close();
        }
        if (!opt.noValidate) {
          const edVnu = await startVnu(ed.pub);
          reportVnu(ed.pub, edVnu, filesUnder(ed.pub, '.html').length);
        }
      }
    }
  } finally {
    await browser.close();
  }
  if (vnu) reportVnu(opt.public, await vnu, htmlCount);
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(REPO, ARTIFACTS)}/`);
}

try {
  await main();
} catch (e) {
  record('browser suite ran to the end', false, [String(e.stack || e)]);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
