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
const MASKED = /\*{3,}|x{5,}|X{5,}|\u2022{3,}|\.{3,}|\u2026/; // \u2022 bullet, \u2026 ellipsis (escaped: the CLI bundle stays ASCII)

/**
 * Whether a matched secret is a placeholder rather than a credential.
 * `basic` (provider rules, whose documented prefix and shape vouch for the value): template syntax,
 * a documented example key, or a body that is one masking character repeated (`sk_live_xxxxxxxx`).
 * A body of one other repeated letter (`sk_live_AAAAAAAA…`) is a fake key of the real shape, not
 * a stand-in: it is reported, as a real key of that shape would be.
 * `strict` (generic rules): also stand-in words, masking runs, and values too short or too uniform
 * to be a secret, a body of any one repeated character included.
 */
export function isPlaceholder(secret: string, level: PlaceholderLevel): boolean {
  if (DOCUMENTED_EXAMPLES.has(secret)) return true;
  if (TEMPLATE.test(secret)) return true;
  const repeated = repeatedBodyCharacter(secret);
  if (repeated !== undefined && (level === 'strict' || MASKING_CHARACTERS.has(repeated))) return true;
  if (level === 'basic') return false;
  if (STAND_IN_WORDS.test(secret)) return true;
  if (MASKED.test(secret)) return true;
  if (/^(.)\1*$/.test(secret)) return true;
  if (/^(?:0123456789|1234567890|abcdef|abc123|qwerty)/i.test(secret) && secret.length <= 16) return true;
  return false;
}

/** Characters people type to mask or stand in for a value: `xxxx`, `XXXX`, `****`, `0000`, `....`, `####`, `••••`. */
const MASKING_CHARACTERS = new Set(['x', 'X', '*', '0', '.', '#', '•']);

/**
 * The character repeated through a token's body (its part after the last `_` or `-`, at least six
 * characters: `sk_test_BBBBBBBB` gives `B`), or undefined when the body is not one repeated character.
 */
function repeatedBodyCharacter(secret: string): string | undefined {
  const cut = Math.max(secret.lastIndexOf('_'), secret.lastIndexOf('-'));
  const body = cut >= 0 ? secret.slice(cut + 1) : secret;
  return body.length >= 6 && /^(.)\1*$/su.test(body) ? body[0] : undefined;
}
