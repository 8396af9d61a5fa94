/// <reference lib="dom" />
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/report/index.js';
import { TEST_PROVIDER } from '../helpers/rules.js';
import { runCli } from '../helpers/cli.js';
import { FAKE } from '../helpers/fake.js';
import { commitAll, gitRepo, tempDir, writeTree } from '../helpers/tmp.js';
import { SAMPLE_FINDINGS, SAMPLE_SECRET } from './sample.js';

/** Debian's chromium (`apt-get install chromium`); the test is skipped where it is not installed. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!existsSync(CHROMIUM))('HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the findings, the playbook and the history timeline, with no network request', async () => {
    const file = join(tempDir(), 'report.html');
    writeFileSync(file, REPORTERS.html(SAMPLE_FINDINGS, { rules: [], showSecrets: false, color: false, toolVersion: '1.0.0', extraProviders: [TEST_PROVIDER] }));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(`file://${file}`);
    expect(await page.title()).toBe('leakhound report');
    expect(await page.locator('h1').textContent()).toBe('leakhound report');
    expect(await page.locator('section#p-acme tbody tr').count()).toBe(2);
    expect(await page.locator('ol.timeline li').textContent()).toContain('removed from HEAD, still leaked: revoke it');
    expect(await page.locator('details.playbook').first().textContent()).toContain('Deactivate the leaked credential');
    expect(await page.content()).not.toContain(SAMPLE_SECRET);
    expect(requests).toEqual([]);

    const shot = await page.screenshot({ fullPage: true });
    if (process.env['LEAKHOUND_SCREENSHOT']) writeFileSync(process.env['LEAKHOUND_SCREENSHOT'], shot);
    // The page really rendered: the screenshot is large and holds many distinct colours.
    const probe = await browser.newPage();
    await probe.setContent(`<img id="s" src="data:image/png;base64,${shot.toString('base64')}">`);
    const stats = await probe.evaluate(async () => {
      const img = document.getElementById('s') as HTMLImageElement;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return { width: canvas.width, height: canvas.height, colours: colours.size };
    });
    expect(stats.width).toBe(1200);
    expect(stats.height).toBeGreaterThan(400);
    expect(stats.colours).toBeGreaterThan(20);
  });

  it('renders the report of a real history scan: a secret added, then deleted, shown as still leaked', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'app.js': `const token = "${FAKE.githubPat}";\n` });
    const introduced = commitAll(repo, 'add token', '2026-03-01T10:00:00Z');
    writeTree(repo, { 'app.js': 'const token = process.env.TOKEN;\n' });
    commitAll(repo, 'remove token', '2026-03-02T10:00:00Z');
    const out = join(tempDir(), 'history.html');
    const r = runCli(['scan', '--history', '--format', 'html', '--output', out, '--no-progress'], { cwd: repo });
    expect(r.code).toBe(1);
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`file://${out}`);
    const item = await page.locator('ol.timeline li').textContent();
    expect(item).toContain(introduced.slice(0, 12));
    expect(item).toContain('2026-03-01');
    expect(item).toContain('removed from HEAD, still leaked: revoke it');
    expect(await page.locator('section#p-github tbody tr').count()).toBe(1);
    expect(await page.content()).not.toContain(FAKE.githubPat);
    const shot = await page.screenshot({ fullPage: true });
    if (process.env['LEAKHOUND_HISTORY_SCREENSHOT']) writeFileSync(process.env['LEAKHOUND_HISTORY_SCREENSHOT'], shot);
    expect(shot.length).toBeGreaterThan(20_000);
  });
});
