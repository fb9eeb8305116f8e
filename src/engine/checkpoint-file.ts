// The checkpoint file (docs/scale.md): a header, binary sections, then a JSON description of
// them and a trailer that locates it. It is written under a temporary name, synced, and renamed
// over the previous one, so a crash mid-write leaves the previous checkpoint whole.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export const CHECKPOINT_FILE = "checkpoint.bin";
// Version 2: fingerprints sum position-keyed terms (a version 1 checkpoint's seen-set holds
// fingerprints that this protomc would never compute again).
export const CHECKPOINT_VERSION = 2;
const MAGIC = Buffer.from("protomc\0", "latin1");
const END = Buffer.from("PMCK", "latin1");
const HEADER_BYTES = 16;
const TRAILER_BYTES = 16;
const BUFFER_BYTES = 1 << 20;

/** A file written front to back through a buffer, knowing its offset. */
export class FileSink {
  private readonly buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private written = 0;

  constructor(private readonly fd: number) {}

  get offset(): number {
    return this.written + this.used;
  }

  write(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buf.length) this.flush();
    if (bytes.length >= this.buf.length) {
      writeAll(this.fd, bytes, this.written);
      this.written += bytes.length;
      return;
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  flush(): void {
    writeAll(this.fd, this.buf.subarray(0, this.used), this.written);
    this.written += this.used;
    this.used = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

/**
 * Writes a checkpoint into `dir` atomically: `body` writes the sections and returns the
 * description, which goes last.
 */
export function writeCheckpointFile(dir: string, body: (sink: FileSink) => object): number {
  mkdirSync(dir, { recursive: true });
  const final = join(dir, CHECKPOINT_FILE);
  const temp = `${final}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  let size: number;
  try {
    const sink = new FileSink(fd);
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(CHECKPOINT_VERSION, 8);
    sink.write(header);
    const meta = Buffer.from(JSON.stringify(body(sink)), "utf8");
    const metaOffset = sink.offset;
    sink.write(meta);
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeDoubleLE(metaOffset, 0);
    trailer.writeUInt32LE(meta.length, 8);
    END.copy(trailer, 12);
    sink.write(trailer);
    sink.flush();
    size = sink.offset;
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temp, final);
  // Make the rename itself durable.
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return size;
}

/** An open checkpoint: its description, and reads of its sections. */
export class CheckpointFile {
  readonly meta: unknown;
  private constructor(
    readonly path: string,
    private readonly fd: number,
    meta: unknown,
  ) {
    this.meta = meta;
  }

  /** Opens the checkpoint in `dir`; throws an Error that says what is wrong with it. */
  static open(dir: string): CheckpointFile {
    const path = join(dir, CHECKPOINT_FILE);
    if (!existsSync(path)) throw new Error(`no checkpoint in ${dir} (no ${CHECKPOINT_FILE})`);
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(HEADER_BYTES);
      const tail = Buffer.alloc(TRAILER_BYTES);
      if (size < HEADER_BYTES + TRAILER_BYTES) throw new Error(`${path} is truncated`);
      readAt(fd, head, 0);
      readAt(fd, tail, size - TRAILER_BYTES);
      if (!head.subarray(0, 8).equals(MAGIC) || !tail.subarray(12).equals(END)) {
        throw new Error(`${path} is not a protomc checkpoint`);
      }
      const version = head.readUInt32LE(8);
      if (version !== CHECKPOINT_VERSION) {
        throw new Error(
          `${path} is a version ${version} checkpoint; this protomc reads version ${CHECKPOINT_VERSION}`,
        );
      }
      const metaOffset = tail.readDoubleLE(0);
      const metaLength = tail.readUInt32LE(8);
      if (metaOffset + metaLength + TRAILER_BYTES !== size) throw new Error(`${path} is corrupt`);
      const meta = Buffer.alloc(metaLength);
      readAt(fd, meta, metaOffset);
      return new CheckpointFile(path, fd, JSON.parse(meta.toString("utf8")));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  read(into: Uint8Array, offset: number): void {
    readAt(this.fd, into, offset);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readAt(fd: number, into: Uint8Array, offset: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, offset + done);
    if (n === 0) throw new Error("checkpoint file ended early");
    done += n;
  }
}
