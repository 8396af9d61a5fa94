import { existsSync, lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Detector } from '../detect/detector.js';
import { emptyStats, type SourceStats } from '../sources/stats.js';
import { ReadScratch, readFile, type ListedFile } from '../sources/worktree.js';
import type { Finding } from '../types.js';
import type { BatchRequest, BatchResult, WorkerFailure, WorkerSetup, WorkerStart } from './protocol.js';

/** Trees with fewer bytes than this are scanned on the main thread: starting workers would cost more. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
/** A batch handed to a thread holds about this many bytes of files (at least one file). */
const BATCH_BYTES = 1024 * 1024;
/** Batches a worker holds at once, so it never waits for the main thread between batches. */
const IN_FLIGHT = 2;

/**
 * The worker script: the bundled one beside the CLI bundle (`dist/bundle/scan-worker.js`),
 * else the one beside the built modules (`dist/scan-worker.js`); undefined when running from
 * sources (tests), where threads are not used.
 */
export function workerScript(): URL | undefined {
  for (const relative of ['./scan-worker.js', '../scan-worker.js']) {
    const url = new URL(relative, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** Threads to use (the main thread included): `requested`, or by default the machine's cores, at most 8. */
export function threadCount(requested: number | undefined): number {
  return Math.max(1, Math.floor(requested ?? Math.min(availableParallelism(), 8)));
}

/** A listed file's size from lstat, also stored in `file.size` (0 when lstat fails: the read will say why). */
export function measureFile(file: ListedFile): number {
  try {
    file.size = lstatSync(file.abs).size;
  } catch {
    file.size = 0;
  }
  return file.size;
}

type WorkerThread = import('node:worker_threads').Worker;

/**
 * Workers are kept, never terminated. node-re2 (1.23) keeps a class handle in a static that each
 * thread's load of the addon replaces, freeing the previous one: once a worker that loaded it has
 * ended, loading it in a new worker kills the process (a segfault, or V8's "Check failed:
 * node->IsInUse()"). So at the end of a scan its workers are kept here, unreferenced (they do not
 * hold the process open) and without the scan's listeners; a later scan of the process (library
 * use) takes them first, sending its setup with the first batch, and starts new ones only while no
 * worker has ended.
 */
const kept: WorkerThread[] = [];
/** Whether a worker of this process has ended (crashed): then no new worker may load re2. */
let aWorkerEnded = false;
/** The workers that have ended: never kept, never given work. */
const ended = new WeakSet<WorkerThread>();
/** Numbers scans that use workers, so that a kept worker's late answer to an earlier scan is told apart. */
let scans = 0;

/** Whether a scan can have detection workers: kept ones, or new ones while that is safe. */
export function workersAllowed(): boolean {
  return kept.length > 0 || !aWorkerEnded;
}

/**
 * Detection worker threads, started one by one while files are still being listed (a worker
 * takes a few hundred milliseconds to load the rules: that overlaps the listing).
 */
export class DetectionWorkers {
  readonly threads: WorkerThread[] = [];

  /** This scan's number (see `scans`): requests carry it, and answers to other scans are ignored. */
  readonly scan = ++scans;
  /** Workers taken from `kept` that still need this scan's setup (sent with their first batch). */
  private readonly needSetup = new Set<WorkerThread>();

  private constructor(
    private readonly WorkerClass: typeof import('node:worker_threads').Worker,
    private readonly script: URL,
    private readonly setup: WorkerSetup,
  ) {}

  /** Loads worker_threads (not at start-up: most scans, the pre-commit hook's among them, never start a worker). */
  static async create(script: URL, setup: WorkerSetup): Promise<DetectionWorkers> {
    // require, not import(): the CLI bundle runs as a vm.Script (bin/leakhound.js), which has no import().
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    return Promise.resolve(new DetectionWorkers(Worker, script, setup));
  }

  /** Adds one more worker: a kept one, else a new one while that is safe (see `kept`). False when there is none. */
  spawn(): boolean {
    const reused = kept.pop();
    if (reused) {
      reused.ref();
      this.needSetup.add(reused);
      this.threads.push(reused);
      return true;
    }
    if (aWorkerEnded) return false;
    const start: WorkerStart = { setup: this.setup, scan: this.scan };
    const worker = new this.WorkerClass(this.script, { workerData: start });
    worker.once('exit', () => {
      aWorkerEnded = true;
      ended.add(worker);
      const at = kept.indexOf(worker);
      if (at >= 0) kept.splice(at, 1);
    });
    this.threads.push(worker);
    return true;
  }

  /** The request for a batch to `worker`, with this scan's setup if the worker is a kept one that has not had it. */
  request(worker: WorkerThread, id: number, files: ListedFile[]): BatchRequest {
    const setup = this.needSetup.delete(worker) ? this.setup : undefined;
    return { id, scan: this.scan, files, ...(setup ? { setup } : {}) };
  }

  get maxFileSize(): number {
    return this.setup.maxFileSize;
  }

  /**
   * Ends this scan's use of its workers (call it once the scan's listeners are off them): each
   * that has not ended is kept for later scans (see `kept`), unreferenced. One still busy with this
   * scan's batches (the scan failed) answers them later, to nobody.
   */
  release(): void {
    for (const worker of this.threads.splice(0)) {
      if (ended.has(worker)) continue;
      worker.unref();
      kept.push(worker);
    }
  }
}

/**
 * Reads and detects `files` (sizes from `measureFile`) on the main thread and the `workers`, each
 * taking batches of about BATCH_BYTES as it becomes free. Findings, suppressed findings, gave-up
 * paths and stats of the workers are merged into `detector` and `stats`, as if the main thread
 * had done it all. Findings come back unsorted. Rejects when a worker fails; the workers are
 * always released (kept for later scans, see `kept`).
 */
export async function detectInParallel(files: ListedFile[], workers: DetectionWorkers, detector: Detector, stats: SourceStats): Promise<Finding[]> {
  const maxFileSize = workers.maxFileSize;
  const batches = makeBatches(files, workers.threads.length + 1);
  const findings: Finding[] = [];
  /** Stats of each batch, merged in batch order at the end (warnings keep the files' order). */
  const batchStats: SourceStats[] = [];
  let next = 0;
  const threads = workers.threads;
  /** Takes this scan's listeners off each worker, at the end (the workers are kept). */
  const listening: (() => void)[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let outstanding = 0;
      let localDone = false;
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        if (err) {
          settled = true;
          reject(err);
        } else if (localDone && outstanding === 0) {
          settled = true;
          resolve();
        }
      };
      const feed = (worker: WorkerThread): void => {
        if (next >= batches.length) return;
        const request = workers.request(worker, next, batches[next++]!);
        outstanding++;
        worker.postMessage(request);
      };
      for (const worker of threads) {
        const onMessage = (message: BatchResult | WorkerFailure): void => {
          if (message.scan !== workers.scan) return; // a late answer to an earlier scan
          if ('error' in message) return finish(new Error(`detection worker failed: ${message.error}`));
          mergeResult(message, findings, detector);
          batchStats[message.id] = message.stats;
          outstanding--;
          feed(worker);
          finish();
        };
        const onError = (err: Error): void => finish(err);
        // A worker never ends by itself (it waits for later scans): ending is a crash.
        const onExit = (code: number): void => finish(new Error(`detection worker exited with code ${code}`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        listening.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        });
        for (let i = 0; i < IN_FLIGHT; i++) feed(worker);
      }
      // The main thread takes batches too, one at a time, and lets workers' answers in between.
      // Each fragment is detected before the next file is read: they can share one buffer.
      const scratch = new ReadScratch();
      const local = async (): Promise<void> => {
        while (next < batches.length && !settled) {
          const id = next++;
          const own = (batchStats[id] = emptyStats());
          for (const file of batches[id]!) {
            for (const fragment of readFile(file, maxFileSize, own, scratch)) findings.push(...detector.detect(fragment));
          }
          await new Promise<void>((r) => setImmediate(r));
        }
        localDone = true;
        finish();
      };
      local().catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
    });
  } finally {
    for (const off of listening) off();
    workers.release();
  }
  for (const s of batchStats) if (s) addStats(stats, s);
  return findings;
}

/**
 * Consecutive files grouped into batches of about BATCH_BYTES (sizes from `measureFile`), smaller
 * towards the end (a quarter of what is left per thread, at least MIN_BATCH_BYTES), so that the
 * threads finish together rather than one waiting on another's last large batch.
 */
function makeBatches(files: ListedFile[], threads: number): ListedFile[][] {
  const batches: ListedFile[][] = [];
  let left = files.reduce((n, f) => n + Math.max(f.size, 0), 0);
  let current: ListedFile[] = [];
  let bytes = 0;
  let target = batchTarget(left, threads);
  for (const file of files) {
    current.push(file);
    const size = Math.max(file.size, 0);
    bytes += size;
    left -= size;
    if (bytes >= target) {
      batches.push(current);
      current = [];
      bytes = 0;
      target = batchTarget(left, threads);
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Smallest batch towards the end of a scan. */
const MIN_BATCH_BYTES = 64 * 1024;

function batchTarget(left: number, threads: number): number {
  return Math.min(BATCH_BYTES, Math.max(MIN_BATCH_BYTES, Math.floor(left / (4 * threads))));
}

function mergeResult(result: BatchResult, findings: Finding[], detector: Detector): void {
  for (const f of result.findings) findings.push(f);
  detector.suppressed.push(...result.suppressed);
  for (const path of result.gaveUp) if (!detector.gaveUp.includes(path)) detector.gaveUp.push(path);
}

function addStats(stats: SourceStats, more: SourceStats): void {
  stats.scanned += more.scanned;
  stats.bytes += more.bytes;
  for (const [reason, n] of Object.entries(more.skipped)) stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
  stats.warnings.push(...more.warnings);
}
