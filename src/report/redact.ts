import type { Finding } from '../types.js';

/**
 * Masks a secret for display: a short identifying prefix (only for long secrets) and a fixed run
 * of `*`, so neither the secret nor its length is revealed.
 */
export function maskSecret(secret: string): string {
  if (secret === '') return ''; // hygiene findings carry no secret
  const firstLine = secret.split(/\r\n|\r|\n/)[0] ?? '';
  const keep = firstLine.length >= 20 ? 4 : firstLine.length >= 12 ? 2 : 0;
  return `${firstLine.slice(0, keep)}********`;
}

/** The secret as a reporter should print it. */
export function shownSecret(finding: Finding, showSecrets: boolean): string {
  return showSecrets ? finding.secret : maskSecret(finding.secret);
}

/**
 * The finding's line with the secret masked (unless shown), cut to at most `width` characters
 * around the secret, with control characters neutralised so scanned content cannot drive a terminal.
 */
export function shownLine(finding: Finding, showSecrets: boolean, width = 160): string {
  const text = finding.lineText;
  const start = Math.max(0, Math.min(finding.column - 1, text.length));
  const secretFirstLine = finding.secret.split(/\r\n|\r|\n/)[0] ?? '';
  const end = Math.min(text.length, start + secretFirstLine.length);
  const shown = showSecrets ? text.slice(start, end) : maskSecret(finding.secret);
  let before = text.slice(0, start);
  let after = text.slice(end);
  const room = Math.max(20, width - shown.length);
  if (before.length + after.length > room) {
    const half = Math.floor(room / 2);
    if (before.length > half) before = `…${before.slice(before.length - half)}`;
    if (after.length > room - Math.min(before.length, half)) after = `${after.slice(0, room - Math.min(before.length, half))}…`;
  }
  return neutralise(`${before}${shown}${after}`.trim());
}

/**
 * A name (file path, ref) made safe to print on one line: `neutralise`, and tabs and line breaks
 * escaped too, so that a file named "a\n  1:1 critical …" cannot forge report lines.
 */
export function neutraliseName(text: string): string {
  return neutralise(text).replace(/[\t\n]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}

/** Replaces C0/C1 control characters (ANSI escapes among them) with visible escapes. */
export function neutralise(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
