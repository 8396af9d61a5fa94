import type { PlaceholderLevel } from '../types.js';

/**
 * Values published in providers' own documentation as examples. They are not secrets anywhere.
 * Compared case-sensitively against the whole secret.
 */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'ASIAIOSFODNN7EXAMPLE',
]);

/** Template and variable syntax: the value is filled in elsewhere. */
const TEMPLATE = /\$\{|\{\{|\}\}|<[A-Za-z_][\w .-]*>|%\([a-z_]+\)s|^\$[A-Za-z_]\w*$|^%[A-Za-z_]\w*%$|^@[A-Za-z_]\w*@$|^#\{/;

/** Words that mark a value as a stand-in, for rules whose values have no format to vouch for them. */
const STAND_IN_WORDS =
  /example|placeholder|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|pass|password|pwd)|changeme|change[_-]me|replace[_-]?me|redacted|removed|notreal|not[_-]a[_-]real|insert[_-]|enter[_-]your|put[_-]your|_here\b|^test$|^password$|^secret$|^passwd$|^pass$|^none$|^null$|^nil$|^undefined$|^true$|^false$|^string$|^str$|^value$|^required$|^optional$|^todo$|^tbd$|^fixme$/i;

/** Common masking characters and dummy runs. */
const MASKED = /\*{3,}|x{5,}|X{5,}|•{3,}|\.{3,}|…/;

/**
 * Whether a matched secret is a placeholder rather than a credential.
 * `basic`: template syntax, a documented example key, or one repeated character (after a prefix).
 * `strict`: also stand-in words, masking runs, and values too short or too uniform to be a secret.
 */
export function isPlaceholder(secret: string, level: PlaceholderLevel): boolean {
  if (DOCUMENTED_EXAMPLES.has(secret)) return true;
  if (TEMPLATE.test(secret)) return true;
  if (isRepeatedBody(secret)) return true;
  if (level === 'basic') return false;
  if (STAND_IN_WORDS.test(secret)) return true;
  if (MASKED.test(secret)) return true;
  if (/^(.)\1*$/.test(secret)) return true;
  if (/^(?:0123456789|1234567890|abcdef|abc123|qwerty)/i.test(secret) && secret.length <= 16) return true;
  return false;
}

/** A token whose part after its last `_` or `-` separator is one character repeated (`sk_test_BBBBBBBB`). */
function isRepeatedBody(secret: string): boolean {
  const cut = Math.max(secret.lastIndexOf('_'), secret.lastIndexOf('-'));
  const body = cut >= 0 ? secret.slice(cut + 1) : secret;
  return body.length >= 6 && /^(.)\1*$/.test(body);
}
