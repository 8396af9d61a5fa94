#!/usr/bin/env node
// `scan --history` through the API, printing JSON { findings, commits, mb, wallMs, nodeMaxRssMb } (bench only).
import { scan } from '../dist/scan.js';

const t0 = performance.now();
const r = await scan({ path: process.argv[2] ?? '.', source: { kind: 'history' } });
console.log(JSON.stringify({ findings: r.findings.length, commits: r.stats.commits, mb: +(r.stats.bytes / 1048576).toFixed(1), wallMs: Math.round(performance.now() - t0), nodeMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
