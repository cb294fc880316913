/**
 * A tiny ustar writer and reader for tests that put files into containers and read them back. Regular
 * files only; enough for archive round trips, not a general tar library.
 */

/** One regular file in an archive. */
export interface TarFile {
  name: string;
  content: Buffer;
  /** Permission bits (default 0o644). */
  mode?: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** Builds a tar archive of regular files (names up to 100 bytes). */
export function makeTar(files: TarFile[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const header = Buffer.alloc(BLOCK);
    header.write(file.name, 0, 100, 'utf8');
    header.write(octal(file.mode ?? 0o644, 8), 100, 'latin1');
    header.write(octal(0, 8), 108, 'latin1');
    header.write(octal(0, 8), 116, 'latin1');
    header.write(octal(file.content.length, 12), 124, 'latin1');
    header.write(octal(Math.floor(Date.now() / 1000), 12), 136, 'latin1');
    header.write('        ', 148, 'latin1'); // the checksum is computed with its own field as spaces
    header.write('0', 156, 'latin1');
    header.write('ustar\0' + '00', 257, 'latin1');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    blocks.push(header, file.content, Buffer.alloc((BLOCK - (file.content.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

/** One entry read from an archive. */
export interface TarEntry {
  name: string;
  /** `0` regular file, `5` directory, … */
  type: string;
  mode: number;
  content: Buffer;
}

/** Reads the entries of a tar archive (ustar and GNU headers; long-name extensions are not decoded). */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  for (let offset = 0; offset + BLOCK <= archive.length;) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    offset += BLOCK;
    entries.push({ name, type: field(156, 1) || '0', mode: parseInt(field(100, 8).trim() || '0', 8), content: archive.subarray(offset, offset + size) });
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

/** Whether `bytes` starts with a ustar header (the magic at offset 257). */
export function startsWithTarHeader(bytes: Buffer): boolean {
  return bytes.length >= BLOCK && bytes.toString('latin1', 257, 262) === 'ustar';
}
