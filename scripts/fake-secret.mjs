#!/usr/bin/env node
// Generates FAKE secrets of a given shape for rule examples and test fixtures.
//   node scripts/fake-secret.mjs --prefix ghp_ --len 30 --alphabet base62 [--crc] [--suffix X] [--count 2] [--seed 7]
// --crc appends the 6-character base62 CRC32 of the random part (GitHub/npm token checksum).
// Alphabets: base62, hex, HEX, base64, base64url, lower, upper, digits, lowernum, uppernum, or a literal set after "chars:".
import { argv } from 'node:process';

const args = Object.fromEntries(argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const ALPHABETS = {
  base62: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  hex: '0123456789abcdef', HEX: '0123456789ABCDEF', digits: '0123456789',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  lower: 'abcdefghijklmnopqrstuvwxyz', upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lowernum: 'abcdefghijklmnopqrstuvwxyz0123456789', uppernum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
};
const alpha = (args.alphabet ?? 'base62').startsWith('chars:') ? args.alphabet.slice(6) : ALPHABETS[args.alphabet ?? 'base62'];
if (!alpha) throw new Error(`unknown alphabet ${args.alphabet}`);
let seed = Number(args.seed ?? Date.now() % 2147483647) || 1;
const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
const table = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (s) => { let c = 0xffffffff; for (const ch of s) c = table[(c ^ ch.charCodeAt(0)) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const b62 = (v, w) => { const d = ALPHABETS.base62; let o = ''; do { o = d[v % 62] + o; v = Math.floor(v / 62); } while (v > 0); return o.padStart(w, '0'); };
for (let n = 0; n < Number(args.count ?? 1); n++) {
  let body = '';
  for (let i = 0; i < Number(args.len ?? 32); i++) body += alpha[Math.floor(rand() * alpha.length)];
  const crc = args.crc === 'true' ? b62(crc32(body), 6) : '';
  console.log(`${args.prefix ?? ''}${body}${crc}${args.suffix ?? ''}`);
}
