import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Server, startServer } from '../src/index';
import { digitPicture, rgbaPng } from './helpers';
import { testDigits, trainedModelDir } from './model-fixture';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
/** Where the screenshots go (look at them: `ls $TMPDIR/cnn-serve-page-*`). */
const shots = mkdtempSync(path.join(tmpdir(), 'cnn-serve-page-'));

declare global {
  interface Window {
    digitPage: {
      predict(): Promise<void>;
      clear(): void;
      drawDigit(bytes: number[]): void;
      setMode(mode: 'server' | 'browser'): void;
    };
  }
}

let server: Server;
let context: BrowserContext;
let page: Page;
let profile: string;
/** Console errors and uncaught exceptions of the page (a CSP violation is one). */
const pageErrors: string[] = [];

/** Draws a stroke through `points` (pad coordinates, 280 × 280) with the mouse. */
async function stroke(points: [number, number][]): Promise<void> {
  const box = await page.locator('#pad').boundingBox();
  if (!box) throw new Error('no drawing pad on the page');
  const [first, ...rest] = points;
  if (!first) return;
  await page.mouse.move(box.x + first[0], box.y + first[1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
  await page.mouse.up();
}

async function predicted(): Promise<{ label: string; by: string | undefined; text: string }> {
  await page.evaluate(() => window.digitPage.predict());
  return page.evaluate(() => {
    const answer = document.getElementById('answer') as HTMLElement;
    const by = document.getElementById('answered-by') as HTMLElement;
    return { label: answer.dataset.label ?? '', by: by.dataset.by, text: by.textContent ?? '' };
  });
}

const title = `the draw-a-digit page in headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is not installed)`}`;

describe.skipIf(!hasChromium)(title, () => {
  beforeAll(async () => {
    server = await startServer({ model: await trainedModelDir(), port: 0 });
    profile = mkdtempSync(path.join(tmpdir(), 'cnn-serve-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 800, height: 600 },
      hasTouch: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Nothing but the server itself may be asked for anything.
    await page.route(
      (url) => !url.href.startsWith(server.url),
      (route) => route.abort(),
    );
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.uncheck('#live');
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('loads every asset from the server and shows the model', async () => {
    const res = await fetch(server.url);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const line = await page.textContent('#model-line');
    expect(line).toContain('8,490 parameters');
    expect(line).toContain('server backend wasm');
  });

  it('predicts a drawn 1 (one vertical stroke) on the server', async () => {
    await stroke([
      [150, 40],
      [140, 240],
    ]);
    const r = await predicted();
    await page.screenshot({ path: path.join(shots, 'drawn-1.png') });
    expect(r.by).toBe('server');
    expect(r.label).toBe('1');
  });

  it('predicts a drawn 7 (a bar and a diagonal)', async () => {
    await page.evaluate(() => window.digitPage.clear());
    await stroke([
      [70, 60],
      [210, 60],
      [120, 240],
    ]);
    const r = await predicted();
    await page.screenshot({ path: path.join(shots, 'drawn-7.png') });
    expect(r.label).toBe('7');
  });

  it('predicts as a finger draws (touch input, no button pressed)', async () => {
    await page.evaluate(() => {
      window.digitPage.clear();
      window.digitPage.setMode('server');
    });
    await page.check('#live');
    const box = await page.locator('#pad').boundingBox();
    if (!box) throw new Error('no drawing pad on the page');
    // Real touch input through the DevTools protocol: Chromium turns it into pointer events of type touch.
    const cdp = await context.newCDPSession(page);
    const at = (y: number) => [{ x: box.x + 140, y: box.y + y }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(40) });
    for (let y = 50; y <= 240; y += 10)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(y) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.waitForFunction(() => document.getElementById('answer')?.dataset.label === '1', undefined, {
      timeout: 20_000,
    });
    await page.uncheck('#live');
    await cdp.detach();
  });

  it('gives a real MNIST test digit its label, on the server and in the browser', async () => {
    const { images, labels } = testDigits(4);
    for (const [i, img] of images.entries()) {
      await page.evaluate((bytes) => {
        window.digitPage.clear();
        window.digitPage.drawDigit(bytes);
        window.digitPage.setMode('server');
      }, Array.from(img));
      const onServer = await predicted();
      expect(onServer.by).toBe('server');
      expect(onServer.label).toBe(String(labels[i]));
      await page.evaluate(() => window.digitPage.setMode('browser'));
      const inBrowser = await predicted();
      expect(inBrowser.text).toContain('answered by this browser');
      expect(inBrowser.by).toBe('browser');
      expect(inBrowser.text).toMatch(/answered by this browser in \d+\.\d ms/);
      expect(inBrowser.label).toBe(String(labels[i]));
      if (i === 0) await page.screenshot({ path: path.join(shots, 'mnist-browser.png') });
    }
  });

  it('a prediction asked for while another runs answers for the pad as it is then', async () => {
    const { images, labels } = testDigits(3);
    const first = Array.from(images[1] as Uint8Array);
    const second = Array.from(images[2] as Uint8Array);
    expect(labels[1]).not.toBe(labels[2]);
    const label = await page.evaluate(
      async ({ a, b }) => {
        const page = window.digitPage;
        page.setMode('server');
        page.clear();
        page.drawDigit(a);
        const earlier = page.predict(); // still waiting for the server below
        page.clear();
        page.drawDigit(b);
        await page.predict();
        await earlier;
        return document.getElementById('answer')?.dataset.label;
      },
      { a: first, b: second },
    );
    expect(label).toBe(String(labels[2]));
  });

  it('predicts an uploaded picture (dark ink on white, 120 × 90) on the server', async () => {
    const { images, labels } = testDigits(6);
    const img = images[5] as Uint8Array;
    const png = rgbaPng(digitPicture(img, { width: 120, height: 90, x: 30, y: 10, side: 70, dark: true }), 120, 90);
    await page.evaluate(() => window.digitPage.clear());
    await page.setInputFiles('#upload', { name: 'digit.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    await page.waitForFunction(() => document.getElementById('answer')?.dataset.label !== '', undefined, {
      timeout: 20_000,
    });
    expect(await page.getAttribute('#answer', 'data-label')).toBe(String(labels[5]));
    await page.screenshot({ path: path.join(shots, 'upload.png') });
  });

  it('logged no error in the page (no CSP violation, no failed load)', () => {
    expect(pageErrors).toEqual([]);
  });
});
