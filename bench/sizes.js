/** Sizes the benchmark reports, shared by run.js and measure.js. */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The bytes of every file below `dir`.
 * @param {string} dir
 * @returns {number}
 */
export function directorySize(dir) {
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    bytes += entry.isDirectory() ? directorySize(path) : statSync(path).size
  }
  return bytes
}
