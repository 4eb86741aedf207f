// scripts/parquet-to-sosd.mjs MODULES PARQUET COLUMN OUT
// One INT64 (or TIMESTAMP) column of a Parquet file -> an SOSD key file
// (uint64 count, then the keys, little-endian), sorted ascending.  Run by
// scripts/fetch-data.sh with hyparquet and hyparquet-compressors from the
// npm registry installed in MODULES (a node_modules folder): Debian 12
// packages no Parquet reader.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [modules, parquet, column, out] = process.argv.slice(2)
if (!out) {
	console.error('usage: parquet-to-sosd.mjs MODULES PARQUET COLUMN OUT')
	process.exit(2)
}
const load = m => import(pathToFileURL(join(modules, m)).href)
const { parquetMetadataAsync, parquetReadObjects, asyncBufferFromFile } = await load('hyparquet/src/node.js')
const { compressors } = await load('hyparquet-compressors/src/index.js')
const file = await asyncBufferFromFile(parquet)
const meta = await parquetMetadataAsync(file)
const field = meta.schema.find(s => s.name === column)
if (!field || field.type !== 'INT64') {
	console.error(`parquet-to-sosd: ${parquet} has no INT64 column '${column}'`)
	process.exit(1)
}
// utf8: false and no parsers, so a TIMESTAMP column stays raw integers
const rows = await parquetReadObjects({
	file, columns: [column], compressors,
	parsers: { timestampFromMicroseconds: v => v, timestampFromMilliseconds: v => v, timestampFromNanoseconds: v => v },
})
const n = rows.length
const keys = new BigUint64Array(n)
for (let i = 0; i < n; i++) {
	const v = rows[i][column]
	if (typeof v !== 'bigint' || v < 0n) {
		console.error(`parquet-to-sosd: row ${i}: not a non-negative integer: ${v}`)
		process.exit(1)
	}
	keys[i] = v
}
keys.sort()
const buf = Buffer.alloc(8 + 8 * n)
buf.writeBigUInt64LE(BigInt(n), 0)
Buffer.from(keys.buffer).copy(buf, 8)
writeFileSync(out, buf)
console.log(`parquet-to-sosd: ${n} keys of '${column}' -> ${out}`)
