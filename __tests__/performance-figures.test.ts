/**
 * The sizes docs/performance.md quotes are those of the committed build: `dist/index.js` (as is
 * and gzipped), `dist/`, and the archive the runner downloads (`git archive HEAD` as tar, gzipped,
 * its number of files, and as zip), measured as bench/run.js measures them and compared to the
 * precision quoted (0.1 kB). So a change to dist/, or to a file of the archive, cannot land with
 * stale figures: `npm run bench -- --readme` rewrites them, or copy the values this test names.
 * The timings stay as measured, with their date and load.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { directorySize } from '../bench/sizes.js'
import { archiveUnavailable, gitArchive, tarPaths } from '../scripts/lib/git-archive.js'

const root = process.cwd()
const PAGE = 'docs/performance.md'

interface Sizes {
  entryBytes: number
  entryGzip9Bytes: number
  entryGzip6Bytes: number
  distBytes: number
  archive?: {
    files: number
    tarBytes: number
    gzip9Bytes: number
    gzip6Bytes: number
    zipBytes: number
  }
}

/** bench/run.js's `kB`: 1000 bytes, one decimal. */
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

/** What bench/run.js measures, of the working tree's dist/ and of the archive of HEAD. */
function measure(): Sizes {
  const entry = readFileSync(path.join(root, 'dist', 'index.js'))
  const sizes: Sizes = {
    entryBytes: entry.length,
    entryGzip9Bytes: gzipSync(entry, { level: 9 }).length,
    entryGzip6Bytes: gzipSync(entry, { level: 6 }).length,
    distBytes: directorySize(path.join(root, 'dist'))
  }
  if (archiveUnavailable(root) === undefined) {
    const tar = gitArchive(root)
    sizes.archive = {
      files: tarPaths(tar).filter((name) => !name.endsWith('/')).length,
      tarBytes: tar.length,
      gzip9Bytes: gzipSync(tar, { level: 9 }).length,
      gzip6Bytes: gzipSync(tar, { level: 6 }).length,
      zipBytes: gitArchive(root, { format: 'zip' }).length
    }
  }
  return sizes
}

/** The cells of the size table's row whose first cell starts with `label`. */
function row(page: string, label: string): string[] | undefined {
  const block = page.slice(page.indexOf('<!-- bench:start -->'), page.indexOf('<!-- bench:end -->'))
  const line = block.split('\n').find((l) => l.startsWith(`| ${label}`))
  return line
    ?.split('|')
    .slice(1, -1)
    .map((cell) => cell.trim().replace(/\*\*/g, ''))
}

/** Each quoted size that differs from the measured one, with the value to write. */
function sizeProblems(page: string, sizes: Sizes): string[] {
  const problems: string[] = []
  const expectRow = (label: string, expected: string[]) => {
    const cells = row(page, label)
    if (!cells) {
      problems.push(`no row "${label}…" in the size table`)
      return
    }
    expected.forEach((want, i) => {
      if (want !== '' && cells[i + 1] !== want) {
        problems.push(`${label}…: "${cells[i + 1]}" quoted, the build gives "${want}"`)
      }
    })
  }
  expectRow('`dist/index.js`, what the runner runs', [
    kB(sizes.entryBytes),
    kB(sizes.entryGzip9Bytes),
    kB(sizes.entryGzip6Bytes)
  ])
  expectRow('`dist/`, all files', [kB(sizes.distBytes)])
  const { archive } = sizes
  if (archive) {
    const label = '`git archive HEAD`, the tarball a runner downloads'
    expectRow(label, [kB(archive.tarBytes), kB(archive.gzip9Bytes), kB(archive.gzip6Bytes)])
    const quotedFiles = /\((\d+) files\)/.exec(row(page, label)?.[0] ?? '')?.[1]
    if (quotedFiles !== String(archive.files)) {
      problems.push(
        `${label}: ${quotedFiles ?? 'no'} files quoted, the archive has ${archive.files}`
      )
    }
    expectRow('`git archive --format=zip HEAD`, the zipball (Windows)', [kB(archive.zipBytes)])
  }
  return problems
}

const page = readFileSync(path.join(root, PAGE), 'utf8')
const ci = /^(true|1)$/i.test(process.env.CI ?? '')

/** A size table in the form bench/run.js writes, with the figures of `sizes`. */
function pageFor(sizes: Sizes): string {
  const archive = sizes.archive ?? {
    files: 0,
    tarBytes: 0,
    gzip9Bytes: 0,
    gzip6Bytes: 0,
    zipBytes: 0
  }
  return [
    '<!-- bench:start -->',
    '| | size | gzip -9 | gzip -6 (default) |',
    '| --- | --- | --- | --- |',
    `| \`dist/index.js\`, what the runner runs | ${kB(sizes.entryBytes)} | ${kB(sizes.entryGzip9Bytes)} | ${kB(sizes.entryGzip6Bytes)} |`,
    `| \`dist/\`, all files | ${kB(sizes.distBytes)} | – | – |`,
    `| \`git archive HEAD\`, the tarball a runner downloads (${archive.files} files) | ${kB(archive.tarBytes)} | **${kB(archive.gzip9Bytes)}** | ${kB(archive.gzip6Bytes)} |`,
    `| \`git archive --format=zip HEAD\`, the zipball (Windows) | ${kB(archive.zipBytes)} | – | – |`,
    '<!-- bench:end -->'
  ].join('\n')
}

describe(`the sizes ${PAGE} quotes`, () => {
  const sizes = measure()

  it('are those of the committed dist/ and of the archive of HEAD', () => {
    expect(sizeProblems(page, sizes)).toEqual([])
  })

  if (ci) {
    // CI runs in a clone; elsewhere without git, only the dist/ figures are checked.
    it('include the archive in CI', () => {
      expect(archiveUnavailable(root)).toBeUndefined()
    })
  }
})

describe('the size check itself', () => {
  const archive = {
    files: 9,
    tarBytes: 112_640,
    gzip9Bytes: 30_449,
    gzip6Bytes: 30_401,
    zipBytes: 33_901
  }
  const sizes: Sizes = {
    entryBytes: 57_749,
    entryGzip9Bytes: 18_801,
    entryGzip6Bytes: 18_849,
    distBytes: 60_012,
    archive
  }

  it('passes on figures written as bench/run.js writes them', () => {
    expect(sizeProblems(pageFor(sizes), sizes)).toEqual([])
  })

  it('names a stale figure of dist/index.js, and the value to write', () => {
    expect(sizeProblems(pageFor({ ...sizes, entryBytes: 57_849 }), sizes)).toEqual([
      '`dist/index.js`, what the runner runs…: "57.8 kB" quoted, the build gives "57.7 kB"'
    ])
  })

  it('names a stale gzip -9 figure of the archive, to 0.1 kB', () => {
    const stale = { ...archive, gzip9Bytes: 30_551 }
    expect(sizeProblems(pageFor({ ...sizes, archive: stale }), sizes)).toEqual([
      '`git archive HEAD`, the tarball a runner downloads…: "30.6 kB" quoted, the build gives "30.4 kB"'
    ])
    // A difference below the precision quoted is no difference.
    expect(
      sizeProblems(pageFor({ ...sizes, archive: { ...archive, gzip9Bytes: 30_401 } }), sizes)
    ).toEqual([])
  })

  it('names a stale number of files in the archive', () => {
    expect(sizeProblems(pageFor({ ...sizes, archive: { ...archive, files: 10 } }), sizes)).toEqual([
      '`git archive HEAD`, the tarball a runner downloads: 10 files quoted, the archive has 9'
    ])
  })

  it('names a missing row', () => {
    expect(sizeProblems('<!-- bench:start -->\n<!-- bench:end -->', sizes)).toContain(
      'no row "`dist/`, all files…" in the size table'
    )
  })
})
