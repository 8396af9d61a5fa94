/**
 * A detection worker (worker_threads) for large working-tree scans: it builds the rules and the
 * detector from `workerData` (a WorkerSetup), then answers each BatchRequest by reading the files
 * and detecting in them, with a BatchResult. See src/parallel/pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Detector } from './detect/detector.js';
import type { BatchRequest, BatchResult, WorkerSetup } from './parallel/protocol.js';
import { makeDecoders } from './rules/regex.js';
import { rulesFor } from './rules/load.js';
import { emptyStats } from './sources/stats.js';
import { ReadScratch, readFile } from './sources/worktree.js';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (port) {
  try {
    const detector = new Detector(
      rulesFor(setup).rules,
      {
        today: setup.today,
        allowMarkers: setup.allowMarkers,
        allowPolicy: setup.allowPolicy,
        timeBudgetMs: setup.timeBudgetMs,
        ...(setup.decode ? { decoders: makeDecoders() } : {}),
      },
    );
    // A worker exists only for trees of 8 MiB or more: its share is megabytes.
    detector.prepareForLargeInput();
    // Each fragment is detected before the next file is read: they can share one buffer.
    const scratch = new ReadScratch();
    port.on('message', (request: BatchRequest) => {
      const stats = emptyStats();
      const findings = [];
      for (const file of request.files) {
        for (const fragment of readFile(file, setup.maxFileSize, stats, scratch)) findings.push(...detector.detect(fragment));
      }
      const result: BatchResult = { id: request.id, findings, suppressed: detector.suppressed.splice(0), gaveUp: detector.gaveUp.splice(0), stats };
      port.postMessage(result);
    });
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
}
