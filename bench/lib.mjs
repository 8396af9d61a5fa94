// Shared benchmark helpers: a seeded PRNG, fake-secret makers, and a process timer.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Deterministic PRNG (mulberry32). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(s) {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = TABLE[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function b62(v, w) {
  let o = '';
  do {
    o = B62[v % 62] + o;
    v = Math.floor(v / 62);
  } while (v > 0);
  return o.padStart(w, '0');
}
export function randomString(rand, alphabet, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}
/** A FAKE GitHub classic PAT with a valid checksum (never issued). */
export function fakeGithubPat(rand) {
  const body = randomString(rand, B62, 30);
  return `ghp_${body}${b62(crc32(body), 6)}`;
}

/**
 * Runs a command and measures it: wall ms, CPU ms (user+sys) and peak RSS in MB when
 * /usr/bin/time is available. Returns { wallMs, cpuMs, rssMb, status, stdout }.
 */
export function measure(cmd, args, opts = {}) {
  const useTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '\n__TIME__ %U %S %M', cmd, ...args], { ...opts, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = performance.now() - t0;
  let cpuMs = NaN;
  let rssMb = NaN;
  let stderr = r.stderr ?? '';
  const m = /\n?__TIME__ ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (m) {
    cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
    rssMb = Number(m[3]) / 1024;
    stderr = stderr.slice(0, m.index);
  }
  return { wallMs, cpuMs, rssMb, status: r.status, stdout: r.stdout ?? '', stderr };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

export function fmt(n, digits = 0) {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}
