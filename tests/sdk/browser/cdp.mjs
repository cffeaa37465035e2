// Headless Chromium (Debian's `chromium`) driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ending in NUL, read on fd 3, written on fd 4),
// so a test can load a page, run script in it, click, read what the console and the
// network logged, and take a screenshot at an exact viewport — with no npm package and
// no debugging port.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts Chromium with a `width`×`height` viewport and opens one page. Resolves to
 * `{ send, evaluate, goto, waitFor, screenshot, logs, close }`; `logs` collects every
 * console message, uncaught exception and browser log entry (a failed request, a 404)
 * as `{ source, level, text }`.
 */
export async function openBrowser({ width = 1280, height = 800 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'parlel-chromium-'));
  const child = spawn('chromium', [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', '--no-first-run',
    '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--mute-audio',
    `--user-data-dir=${profile}`, `--window-size=${width},${height}`, '--remote-debugging-pipe', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const writer = child.stdio[3];
  const reader = child.stdio[4];
  let nextId = 1;
  const waiting = new Map();
  const listeners = [];
  let buffered = '';
  reader.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let end;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      if (msg.id && waiting.has(msg.id)) {
        const { ok, fail, method } = waiting.get(msg.id);
        waiting.delete(msg.id);
        if (msg.error) fail(new Error(`${method}: ${msg.error.message}`));
        else ok(msg.result);
      } else if (msg.method) {
        for (const l of listeners) l(msg);
      }
    }
  });
  const exited = new Promise((ok) => child.once('exit', ok));
  exited.then(() => {
    for (const { fail } of waiting.values()) fail(new Error(`chromium exited:\n${stderr}`));
    waiting.clear();
  });
  const send = (method, params = {}, sessionId) => new Promise((ok, fail) => {
    const id = nextId++;
    waiting.set(id, { ok, fail, method });
    writer.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
  });

  const { targetInfos } = await send('Target.getTargets');
  const page = targetInfos.find((t) => t.type === 'page');
  const { sessionId } = await send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
  const call = (method, params) => send(method, params, sessionId);
  const logs = [];
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    if (m.method === 'Runtime.consoleAPICalled') {
      const text = m.params.args.map((a) => a.value ?? a.description ?? '').join(' ');
      logs.push({ source: 'console', level: m.params.type, text });
    } else if (m.method === 'Runtime.exceptionThrown') {
      const d = m.params.exceptionDetails;
      logs.push({ source: 'exception', level: 'error', text: d.exception?.description ?? d.text });
    } else if (m.method === 'Log.entryAdded') {
      const e = m.params.entry;
      logs.push({ source: e.source, level: e.level, text: `${e.text}${e.url ? ` (${e.url})` : ''}` });
    }
  });
  await call('Runtime.enable');
  await call('Log.enable');
  await call('Page.enable');
  await call('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });

  /** The value of `expression` in the page (awaited when it is a promise). */
  const evaluate = async (expression) => {
    const r = await call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  };
  /** Polls `expression` until it is truthy (its value), or fails after `timeout` ms. */
  const waitFor = async (expression, timeout = 10_000) => {
    const until = Date.now() + timeout;
    for (;;) {
      const v = await evaluate(expression);
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  };
  /** Loads `url` and resolves on its load event. */
  const load = async (url, timeout = 15_000) => {
    const loaded = new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`${url} did not load within ${timeout} ms`)), timeout);
      const l = (m) => {
        if (m.sessionId === sessionId && m.method === 'Page.loadEventFired') {
          listeners.splice(listeners.indexOf(l), 1);
          clearTimeout(timer);
          ok();
        }
      };
      listeners.push(l);
    });
    const r = await call('Page.navigate', { url });
    if (r.errorText) throw new Error(`${url}: ${r.errorText}`);
    await loaded;
  };
  /** Loads `url` afresh: by way of about:blank, since a URL that differs from the
   * current one only in its fragment would load nothing. */
  const goto = async (url) => {
    await load('about:blank');
    await load(url);
  };
  const screenshot = async () => Buffer.from((await call('Page.captureScreenshot', { format: 'png' })).data, 'base64');
  const close = async () => {
    try {
      await Promise.race([send('Browser.close'), new Promise((ok) => setTimeout(ok, 2000))]);
    } catch { /* already gone */ }
    if (child.exitCode === null) child.kill();
    await exited;
    // Its helper processes may still be writing the profile for a moment.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch { /* left in the temp dir */ }
  };
  return { send: call, evaluate, waitFor, goto, screenshot, logs, close };
}
