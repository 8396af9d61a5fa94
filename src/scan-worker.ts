/**
 * A detection worker (worker_threads) for large working-tree scans: it builds the rules and the
 * detector from `workerData` (a WorkerStart), or from a later scan's setup sent with a batch, then
 * answers each BatchRequest by reading the files and detecting in them, with a BatchResult. See
 * src/parallel/pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Detector } from './detect/detector.js';
import type { BatchRequest, BatchResult, WorkerFailure, WorkerSetup, WorkerStart } from './parallel/protocol.js';
import { makeDecoders } from './rules/regex.js';
import { rulesFor } from './rules/load.js';
import { emptyStats } from './sources/stats.js';
import { ReadScratch, readFile } from './sources/worktree.js';

/** The rules and detector of a scan's setup. */
function detectorFor(setup: WorkerSetup): Detector {
  const detector = new Detector(rulesFor(setup).rules, {
    today: setup.today,
    allowMarkers: setup.allowMarkers,
    allowPolicy: setup.allowPolicy,
    timeBudgetMs: setup.timeBudgetMs,
    ...(setup.decode ? { decoders: makeDecoders() } : {}),
  });
  // A worker exists only for trees of 8 MiB or more: its share is megabytes.
  detector.prepareForLargeInput();
  return detector;
}

const port = parentPort;
if (port) {
  const start = workerData as WorkerStart;
  let setup = start.setup;
  let detector: Detector | undefined;
  /** Why the current setup has no detector (bad rules, say). */
  let failure = '';
  const build = (next: WorkerSetup): void => {
    setup = next;
    try {
      detector = detectorFor(next);
    } catch (err) {
      detector = undefined;
      failure = err instanceof Error ? err.message : String(err);
    }
  };
  build(setup);
  if (!detector) port.postMessage({ error: failure, scan: start.scan } satisfies WorkerFailure);
  // Each fragment is detected before the next file is read: they can share one buffer.
  const scratch = new ReadScratch();
  // The worker stays for later scans of the process (src/parallel/pool.ts): a later scan's first batch
  // brings its setup. A setup that fails is reported for each batch, until a scan brings one that works.
  port.on('message', (request: BatchRequest) => {
    if (request.setup) build(request.setup);
    if (!detector) {
      port.postMessage({ error: failure, scan: request.scan } satisfies WorkerFailure);
      return;
    }
    const stats = emptyStats();
    const findings = [];
    for (const file of request.files) {
      for (const fragment of readFile(file, setup.maxFileSize, stats, scratch)) findings.push(...detector.detect(fragment));
    }
    const result: BatchResult = { id: request.id, scan: request.scan, findings, suppressed: detector.suppressed.splice(0), gaveUp: detector.gaveUp.splice(0), stats };
    port.postMessage(result);
  });
}
