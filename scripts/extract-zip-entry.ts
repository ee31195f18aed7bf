import { readFileSync, writeFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Extracts one file from a zip archive: `extract-zip-entry.ts ARCHIVE ENTRY DEST`. Used by scripts/helm.sh
 * so that getting Helm needs nothing but Node (no unzip, no python on a fresh CI machine).
 */
function extract(archive: string, entry: string, dest: string): void {
  const zip = readFileSync(archive);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${archive}: not a zip archive (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${archive}: corrupt central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name !== entry) continue;
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null;
    if (data === null) throw new Error(`${archive}: ${entry} uses unsupported compression method ${method}`);
    if (crc32(data) !== crc) throw new Error(`${archive}: ${entry} fails its CRC check`);
    writeFileSync(dest, data, { mode: 0o755 });
    return;
  }
  throw new Error(`${archive}: no entry ${entry}`);
}

const [archive, entry, dest] = process.argv.slice(2);
if (!archive || !entry || !dest) {
  console.error('usage: extract-zip-entry.ts ARCHIVE ENTRY DEST');
  process.exit(2);
}
try {
  extract(archive, entry, dest);
} catch (e) {
  console.error(`extract-zip-entry: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
