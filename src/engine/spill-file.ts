// The file one holder of states (a frontier, a state list) spills to: encoded chunks appended
// one after another and read back by offset. It is made in the store's directory on the first
// chunk, and removed when closed.
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { isDiskFull } from "./memory.ts";
import type { SpillStore } from "./spill-store.ts";

export class SpillFile {
  private fd = -1;
  private path = "";
  private end = 0;

  constructor(private readonly store: SpillStore) {}

  /**
   * Appends a chunk of `states` encoded states and counts it in the store; returns its offset,
   * or -1 if the disk is full (the governor is told, and the search stops at its next look;
   * the caller keeps the chunk in memory).
   */
  append(bytes: Buffer, states: number): number {
    try {
      if (this.fd < 0) {
        this.path = this.store.newFilePath();
        this.fd = openSync(this.path, "w+");
      }
      let done = 0;
      while (done < bytes.length) {
        done += writeSync(this.fd, bytes, done, bytes.length - done, this.end + done);
      }
    } catch (e) {
      if (isDiskFull(e)) {
        this.store.governor.diskFull(this.store.directory);
        return -1;
      }
      throw e;
    }
    const offset = this.end;
    this.end += bytes.length;
    this.store.spilledStates += states;
    this.store.spilledChunks++;
    this.store.spilledBytes += bytes.length;
    return offset;
  }

  /** The `length` bytes at `offset`, as appended. */
  read(offset: number, length: number): Buffer {
    const into = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, into, done, length - done, offset + done);
      if (n === 0) throw new Error(`spill file ${this.path} ended early`);
      done += n;
    }
    return into;
  }

  close(): void {
    if (this.fd < 0) return;
    const { fd, path } = this;
    this.fd = -1;
    this.end = 0;
    try {
      closeSync(fd);
    } catch (e) {
      // Closing is cleanup: an error here must not hide the search's result (or the error
      // that ended it).
      if ((e as { code?: unknown }).code !== "EBADF") throw e;
    } finally {
      rmSync(path, { force: true });
    }
  }
}
