import type { Finding, ProviderSpec, Severity } from '../types.js';
import { adviceFor, type Advice } from './advice.js';
import { providersById, type Reporter } from './context.js';
import { shownLine, shownSecret } from './redact.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * One self-contained HTML page (inline CSS, no script, no network, no external asset): totals by
 * severity and provider, each provider's findings with its playbook, and for history scans a
 * timeline of when each secret was introduced and whether it is still at HEAD. Everything from
 * scanned content is escaped.
 */
export const htmlReporter: Reporter = (findings, context) => {
  const providers = providersById(context);
  const byProvider = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byProvider.get(f.providerId);
    if (list) list.push(f);
    else byProvider.set(f.providerId, [f]);
  }
  const sevCounts = SEVERITIES.map((s) => `<li class="sev-${s}"><span>${findings.filter((f) => f.severity === s).length}</span> ${s}</li>`).join('');
  const providerRows = [...byProvider.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([id, list]) => `<tr><td><a href="#p-${esc(id)}">${esc(list[0]!.providerName)}</a></td><td>${list.length}</td><td>${esc(worst(list))}</td></tr>`)
    .join('');
  const sections = [...byProvider.entries()]
    .map(([id, list]) => providerSection(id, list, providers.get(id), context.showSecrets))
    .join('\n');
  const history = findings.filter((f) => f.history);
  const timeline = history.length ? timelineSection(history, context.showSecrets) : '';
  const body = findings.length
    ? `<section><h2>Summary</h2><ul class="sev">${sevCounts}</ul>
<table><thead><tr><th>Provider</th><th>Findings</th><th>Worst severity</th></tr></thead><tbody>${providerRows}</tbody></table></section>
${timeline}
${sections}`
    : '<section><p class="clean">No leaks found.</p></section>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>leakhound report</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>leakhound report</h1><p>${findings.length} finding${findings.length === 1 ? '' : 's'} · leakhound ${esc(context.toolVersion)} · secrets ${context.showSecrets ? 'shown' : 'masked'}</p></header>
<main>
${body}
</main>
</body>
</html>
`;
};

function providerSection(id: string, list: Finding[], provider: ProviderSpec | undefined, show: boolean): string {
  const rows = list
    .map(
      (f) => `<tr class="sev-${f.severity}"><td>${esc(f.severity)}</td><td><code>${esc(f.file)}:${f.line}:${f.column}</code>${f.origin.kind === 'commit' ? ` <small>@ ${esc(f.origin.sha.slice(0, 12))}</small>` : ''}</td><td><code>${esc(f.ruleId)}</code></td><td><code>${esc(shownSecret(f, show))}</code></td><td><code class="line">${esc(shownLine(f, show))}</code>${f.advice?.length ? `<ul class="fix">${f.advice.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>` : ''}</td></tr>`,
    )
    .join('');
  return `<section id="p-${esc(id)}"><h2>${esc(list[0]!.providerName)} <small>(${list.length})</small></h2>
<table><thead><tr><th>Severity</th><th>Location</th><th>Rule</th><th>Secret</th><th>Line</th></tr></thead><tbody>${rows}</tbody></table>
${provider ? playbook(adviceFor(provider)) : ''}</section>`;
}

function playbook(a: Advice): string {
  const items: string[] = [
    `<p><strong>Revoke:</strong> ${esc(a.revoke)} <a href="${esc(a.revokeUrl)}" rel="noreferrer">${esc(a.revokeUrl)}</a></p>`,
    `<p><strong>Regenerate:</strong> ${esc(a.regenerate)}</p>`,
  ];
  if (a.reach) items.push(`<p><strong>What it can reach:</strong> ${esc(a.reach)}</p>`);
  if (a.commands.length) items.push(`<pre>${a.commands.map(esc).join('\n')}</pre>`);
  items.push(`<p><strong>Audit:</strong> ${esc(a.auditLog)}</p>`);
  items.push(`<ol>${a.rotation.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>`);
  items.push(`<p>${esc(a.storage)}</p><p class="warn">${esc(a.history)}</p>`);
  return `<details class="playbook" open><summary>What to do</summary>${items.join('')}</details>`;
}

function timelineSection(list: Finding[], show: boolean): string {
  const rows = [...list]
    .sort((a, b) => a.history!.introducedBy.date.localeCompare(b.history!.introducedBy.date))
    .map((f) => {
      const h = f.history!;
      return `<li class="${h.presentAtHead ? 'head' : 'gone'}"><time>${esc(h.introducedBy.date.slice(0, 10))}</time> <code>${esc(h.introducedBy.sha.slice(0, 12))}</code> ${esc(h.introducedBy.author)} introduced <code>${esc(f.ruleId)}</code> <code>${esc(shownSecret(f, show))}</code> in <code>${esc(f.file)}</code> · in ${h.commitCount} commit${h.commitCount === 1 ? '' : 's'} · <strong>${h.presentAtHead ? 'still at HEAD' : 'removed from HEAD, still leaked: revoke it'}</strong></li>`;
    })
    .join('');
  return `<section><h2>Timeline</h2><ol class="timeline">${rows}</ol></section>`;
}

function worst(list: Finding[]): Severity {
  return SEVERITIES.find((s) => list.some((f) => f.severity === s)) ?? 'low';
}

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
header{background:#1d2733;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.8}
main{padding:16px 24px;max-width:1200px}section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:12px 16px;margin:0 0 16px}
h2{font-size:17px;margin:4px 0 10px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-top:1px solid #eceff3;vertical-align:top}
code{font:12px ui-monospace,monospace;word-break:break-all}ul.sev{list-style:none;display:flex;gap:12px;padding:0}ul.sev li{padding:6px 12px;border-radius:6px;background:#eef1f4}ul.sev span{font-weight:700;font-size:18px}
.sev-critical td:first-child,li.sev-critical{color:#a40e26}.sev-high td:first-child,li.sev-high{color:#c2410c}.sev-medium td:first-child,li.sev-medium{color:#a16207}.sev-low td:first-child{color:#4b5563}
details.playbook{margin-top:10px;background:#f8fafc;border-radius:6px;padding:8px 12px}.warn{color:#a40e26}.clean{color:#166534;font-weight:600}
ol.timeline li{margin:4px 0}ol.timeline li.gone strong{color:#a40e26}ol.timeline li.head strong{color:#c2410c}ul.fix{margin:4px 0 0;padding-left:18px}
`;
