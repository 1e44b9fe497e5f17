import { closeSync, fsync, openSync, writeSync } from 'node:fs'

/**
 * Appends to files at once and makes them durable off the main thread. The text is written synchronously, so it is
 * in the operating system's hands before `append` returns (a killed or crashed process loses none of it); the fsync
 * that makes it survive a power loss runs on libuv's pool, because the main thread is also the one that runs
 * onnxruntime: a blocking fsync per chunk left the model idle (`npm run bench`, tiny model, 1,000 pairs: 64 syncs,
 * 83 ms of the main thread). `settled()` waits for every sync started so far; a failed sync is the error of
 * `settled()` and of every later `append`.
 */
export class DurableAppends {
  private readonly inFlight = new Set<Promise<void>>()
  private failure: Error | null = null

  /** `failed` turns a failed fsync into the caller's coded error; `sync` is fs.fsync (a test may pass a failing one). */
  constructor(
    private readonly failed: (e: NodeJS.ErrnoException) => Error,
    private readonly sync: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void = fsync,
  ) {}

  /** Writes `text` at the end of `file` (created if missing) and starts its fsync; OS errors of open and write are thrown as they are. */
  append(file: string, text: string): void {
    if (this.failure) throw this.failure
    const fd = openSync(file, 'a')
    try {
      writeSync(fd, text)
    } catch (e) {
      closeSync(fd)
      throw e
    }
    const done = new Promise<void>((resolve) => {
      this.sync(fd, (err) => {
        try {
          closeSync(fd)
        } catch {
          // The fsync's own outcome is what matters; a close failing after it changes nothing on disk.
        }
        if (err && !this.failure) this.failure = this.failed(err)
        resolve()
      })
    })
    this.inFlight.add(done)
    void done.then(() => this.inFlight.delete(done))
  }

  /** Resolves when every append so far is synced; throws the first failed sync. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight])
    if (this.failure) throw this.failure
  }
}
