import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { parseFastScan } from '../../src/cli/fast-args.js';
import { SCAN_FLAGS } from '../../src/cli/flags.js';

/** What yargs makes of the same argv, with the same flag table (the slow path's parse). */
function viaYargs(argv: string[]): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  yargs(argv)
    .command('scan [path]', '', (y) => y.positional('path', { type: 'string', default: '.' }).options(SCAN_FLAGS), (a) => {
      out = a as Record<string, unknown>;
    })
    .strict()
    .exitProcess(false)
    .fail((msg) => {
      throw new Error(msg);
    })
    .parseSync();
  return out;
}

describe('fast scan-argument parser', () => {
  const accepted = [
    ['scan'],
    ['scan', '.'],
    ['scan', '--staged'],
    ['scan', '--staged', '-q'],
    ['scan', 'src', '--format', 'json', '-o', 'out.json'],
    ['scan', '--format=sarif', '--output=x.sarif', 'dir'],
    ['scan', '--no-color', '--no-hygiene', '--show-secrets'],
    ['scan', '--history', '--range', 'a..b', '--no-progress'],
    ['scan', '--baseline', 'b.json', '--allow-comments', 'ignore', '--max-file-size', '5m'],
    ['scan', '--since-commit', 'abc123', '--branch', 'main', '--config', 'c.yml'],
  ];
  for (const argv of accepted) {
    it(`agrees with yargs: ${argv.join(' ')}`, () => {
      const fast = parseFastScan(argv);
      expect(fast).toBeDefined();
      const slow = viaYargs(argv);
      for (const [key, value] of Object.entries(fast!)) {
        if (key === 'rules') continue;
        expect({ key, value: slow[key] }).toEqual({ key, value });
      }
    });
  }

  const declined = [
    ['rules', 'list'],
    ['scan', '--help'],
    ['scan', '--version'],
    ['scan', '--rules', 'a', 'b'],
    ['scan', '--format', 'xml'],
    ['scan', '--frobnicate'],
    ['scan', 'a', 'b'],
    ['scan', '--', '-odd-name'],
    ['scan', '--output'],
    ['scan', '--staged', 'false'],
    ['scan', '-qo', 'x'],
    ['scan', '--quiet', '--quiet'],
  ];
  for (const argv of declined) {
    it(`leaves to yargs: ${argv.join(' ')}`, () => {
      expect(parseFastScan(argv)).toBeUndefined();
    });
  }
});
