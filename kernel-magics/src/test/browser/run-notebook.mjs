// Real-browser test of the prompttune kernel: starts the classic Jupyter notebook server (Debian's notebook 6.x)
// on 127.0.0.1, opens each notebook in headless Chromium (Debian's, driven by playwright-core), clicks
// Cell > Run All, waits until every cell has run and the kernel is idle, fails on any error output, checks that a
// PNG chart is visible (<img> from an image/png output, natural width > 100 px) and saves a screenshot of it as
// <out>/<notebook>.png. Run by BrowserNotebookTest (mvn test); standalone:
//   cd kernel-magics/src/test/browser && npm ci && node run-notebook.mjs [--out DIR] [NOTEBOOK.ipynb ...]
// Notebooks: argv, else $PROMPTTUNE_BROWSER_NOTEBOOKS (comma-separated), else notebooks/quickstart.ipynb;
// relative paths are relative to the repository root. The kernelspec named in a notebook's metadata must be
// installed where Jupyter looks: BrowserNotebookTest installs it and sets JUPYTER_PATH.
// Other settings (env): PROMPTTUNE_BROWSER_TIMEOUT_S (per notebook, default 480), CHROMIUM (/usr/bin/chromium),
// JUPYTER (/usr/bin/jupyter: Debian's, never a pyenv one that cannot see Debian's notebook package).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const argv = process.argv.slice(2);
let out = join(REPO, 'kernel-magics/target/browser');
if (argv[0] === '--out') { out = resolve(argv[1]); argv.splice(0, 2); }
const notebooks = (argv.length ? argv : (process.env.PROMPTTUNE_BROWSER_NOTEBOOKS || 'notebooks/quickstart.ipynb')
  .split(',').map((s) => s.trim()).filter(Boolean)).map((p) => resolve(REPO, p));
const TIMEOUT_MS = 1000 * Number(process.env.PROMPTTUNE_BROWSER_TIMEOUT_S || 480);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const JUPYTER = process.env.JUPYTER || '/usr/bin/jupyter';
// KERNEL-NOTES' flags: no network chatter, no GPU; Playwright adds --headless and a fresh user-data dir itself.
// --disable-dev-shm-usage: containers often have a tiny /dev/shm.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const t0 = Date.now();
const log = (msg) => console.log(`[browser-test ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn() until it returns a truthy value; fails with what(last value) after timeoutMs. */
async function poll(fn, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last && last !== true && last.fail) throw new Error(last.fail);
    if (last && (last === true || last.done)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}: ${JSON.stringify(last)}`);
    await sleep(250);
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer().once('error', rej).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

let server; // the jupyter process; same process group as us, so a `timeout` around us reaches it too
let work;
function killServer(signal = 'SIGTERM') {
  if (server && server.exitCode === null && server.signalCode === null) server.kill(signal);
}
function cleanUp() {
  killServer();
  if (work) rmSync(work, { recursive: true, force: true });
}
// A `timeout` around us: stop the server (Playwright closes the browser on exit) and remove the copies.
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.on(sig, () => { cleanUp(); process.exit(code); });

async function main() {
  for (const nb of notebooks) if (!existsSync(nb)) throw new Error(`notebook not found: ${nb}`);
  const names = notebooks.map((nb) => basename(nb));
  if (new Set(names).size !== names.length) throw new Error(`notebook file names must differ: ${names}`);
  mkdirSync(out, { recursive: true });

  // Jupyter serves copies: running cells and autosave must not touch the originals. The kernel's working
  // directory is the copy's folder, so PROMPTTUNE_HOME tells prompttune where models/ and data/ are.
  work = mkdtempSync(join(tmpdir(), 'prompttune-browser-'));
  const root = join(work, 'notebooks');
  mkdirSync(root);
  notebooks.forEach((nb, i) => copyFileSync(nb, join(root, names[i])));
  const env = { ...process.env, PATH: `/usr/bin:${process.env.PATH}`, PROMPTTUNE_HOME: process.env.PROMPTTUNE_HOME || REPO,
    JUPYTER_RUNTIME_DIR: join(work, 'runtime'), JUPYTER_CONFIG_DIR: join(work, 'config'), PYTHONDONTWRITEBYTECODE: '1' };
  // With JUPYTER_PATH set (the kernelspec installed under a prefix) the user's data dir is kept out too.
  if (process.env.JUPYTER_PATH && !process.env.JUPYTER_DATA_DIR) env.JUPYTER_DATA_DIR = join(work, 'data');

  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const serverLog = join(out, 'jupyter-server.log');
  const logFd = openSync(serverLog, 'w');
  server = spawn(JUPYTER, ['notebook', '--no-browser', '--allow-root', '--ip=127.0.0.1', `--port=${port}`,
    '--port-retries=0', `--notebook-dir=${root}`, `--NotebookApp.token=${token}`, '--NotebookApp.password='],
  { env, cwd: root, stdio: ['ignore', logFd, logFd] });
  const serverTail = () => readFileSync(serverLog, 'utf8').slice(-3000);
  await poll(async () => {
    if (server.exitCode !== null) return { fail: `jupyter notebook exited (${server.exitCode}):\n${serverTail()}` };
    try { return (await fetch(`${base}/api/status?token=${token}`)).ok; } catch { return false; }
  }, 60_000, 'the notebook server');
  log(`notebook server up on ${base} (log: ${serverLog})`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    for (const name of names) {
      try {
        await runNotebook(page, base, token, name);
      } catch (e) { // keep what the page showed, for the report
        await page.screenshot({ path: join(out, name.replace(/\.ipynb$/, '') + '-failed.png') }).catch(() => {});
        throw e;
      }
    }
  } finally {
    await browser.close();
  }

  // Stops the server and its kernels (the kernel JVM would also exit with its parent: JPY_PARENT_PID).
  await fetch(`${base}/api/shutdown?token=${token}`, { method: 'POST' }).catch(() => {});
  await poll(() => server.exitCode !== null || server.signalCode !== null, 20_000, 'the server to exit').catch(() => killServer('SIGKILL'));
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

async function runNotebook(page, base, token, name) {
  const started = Date.now();
  await page.goto(`${base}/notebooks/${encodeURIComponent(name)}?token=${token}`);
  // Loaded, kernel started and idle; a modal (e.g. "Kernel not found") means the kernelspec is missing.
  const kernelState = () => page.evaluate(() => {
    const modal = document.querySelector('.modal.in');
    if (modal) return { fail: `dialog: ${modal.innerText.replace(/\s+/g, ' ').slice(0, 300)}` };
    const nb = window.Jupyter && Jupyter.notebook;
    const icon = document.querySelector('#kernel_indicator_icon');
    if (icon && icon.classList.contains('kernel_dead_icon')) return { fail: 'the kernel died' };
    const ready = !!(nb && nb._fully_loaded && nb.kernel && nb.kernel.is_connected());
    return { done: ready && icon.classList.contains('kernel_idle_icon'), ready, icon: icon && icon.className };
  });
  await poll(kernelState, 120_000, `the kernel of ${name}`);
  log(`${name}: kernel ready after ${((Date.now() - started) / 1000).toFixed(1)}s; Cell > Run All`);

  await page.click('#celllink');
  await page.click('#run_all_cells > a');
  const ranAt = Date.now();
  // Done when the kernel is idle, no cell is queued or running ('*'), and every non-empty code cell has an
  // execution count, or a cell failed (Run All stops at an error and leaves the rest unnumbered).
  // Seen twice in a row, so the short idle between two cells does not count.
  const runState = () => page.evaluate(() => {
    const icon = document.querySelector('#kernel_indicator_icon');
    if (icon.classList.contains('kernel_dead_icon')) return { fail: 'the kernel died' };
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    const errors = [];
    cells.forEach((c, i) => c.output_area.outputs.filter((o) => o.output_type === 'error')
      .forEach((o) => errors.push(`code cell ${i + 1}: ${o.ename}: ${o.evalue}`)));
    const pending = cells.filter((c) => c.input_prompt_number === '*').length;
    const unrun = cells.filter((c) => c.get_text().trim() && typeof c.input_prompt_number !== 'number').length;
    const idle = icon.classList.contains('kernel_idle_icon');
    return { done: idle && pending === 0 && (unrun === 0 || errors.length > 0), idle, pending, unrun, errors };
  });
  let prev = false;
  const state = await poll(async () => {
    const s = await runState();
    const both = s.done && prev;
    prev = s.done;
    return both ? s : { ...s, done: false };
  }, TIMEOUT_MS, `all cells of ${name} to run`);
  log(`${name}: all cells ran in ${((Date.now() - ranAt) / 1000).toFixed(1)}s`);
  if (state.errors.length) throw new Error(`${name}: error output(s):\n  ${state.errors.join('\n  ')}`);

  // The chart: the first loaded <img> of an image/png output wider than 100 px.
  const imgs = page.locator('.output_png img');
  await poll(() => imgs.evaluateAll((els) => els.every((e) => e.complete)), 30_000, 'images to load');
  const widths = await imgs.evaluateAll((els) => els.map((e) => e.naturalWidth));
  const index = widths.findIndex((w) => w > 100);
  if (index < 0) throw new Error(`${name}: no image/png output wider than 100 px (natural widths: [${widths}])`);
  const img = imgs.nth(index);
  await img.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  const box = await img.boundingBox();
  if (!(await img.isVisible()) || !box || box.y + box.height <= 0 || box.y >= 900 || box.width < 50) {
    throw new Error(`${name}: chart image is not visible in the viewport (box ${JSON.stringify(box)})`);
  }
  const shot = join(out, name.replace(/\.ipynb$/, '') + '.png');
  await page.screenshot({ path: shot });
  log(`${name}: chart ${widths[index]} px wide visible at ${JSON.stringify(box)}; screenshot ${shot}; `
    + `notebook took ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

main().then(() => { rmSync(work, { recursive: true, force: true }); }, (e) => {
  console.error(`FAIL: ${e.message}`);
  cleanUp();
  process.exitCode = 1;
});
