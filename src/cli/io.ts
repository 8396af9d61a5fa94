import { readFileSync, writeFileSync } from 'node:fs';
import { LeakhoundError } from '../errors.js';

/** The package's version, from package.json. */
export function toolVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** Writes a report to a file, or to stdout when no file is given. */
export function writeReport(text: string, file: string | undefined): void {
  if (file === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new LeakhoundError(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** One line on stderr. */
export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}
