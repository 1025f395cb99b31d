/**
 * dist/ is exactly what the build writes: scripts/build.js empties it before ncc runs,
 * `node scripts/ci.js dist` (CI and the release workflow's verify job) fails on any difference
 * that scripts/lib/dist-status.js finds, untracked files included, and git shows dist/ in diffs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DIST_FILES, distChanges } from '../scripts/lib/dist-status.js'
import { runGit } from './support/git.js'

const root = process.cwd()

describe('distChanges, on a repository made for it', () => {
  let repo: string
  const put = (name: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true })
    writeFileSync(path.join(repo, name), text)
  }

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'dist-status-'))
    runGit(repo, 'init', '-q')
    runGit(repo, 'config', 'commit.gpgsign', 'false')
    for (const name of DIST_FILES) put(name, `${name}\n`)
    put('src/index.ts', 'source\n')
    runGit(repo, 'add', '-A')
    runGit(repo, 'commit', '-q', '-m', 'built')
  })
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true })
  })

  it('is empty when dist/ is what is committed, whatever happens outside dist/', () => {
    put('src/index.ts', 'changed\n')
    put('notes.txt', 'untracked outside dist/\n')
    expect(distChanges(repo)).toEqual([])
  })

  it('names a changed, a deleted and an untracked file, in nested folders too', () => {
    put('dist/index.js', 'rebuilt differently\n')
    rmSync(path.join(repo, 'dist', 'licenses.txt'))
    put('dist/extra.js', 'left by an earlier build\n')
    put('dist/chunks/deep/part.js', 'nested\n')
    expect(distChanges(repo).sort()).toEqual([
      ' D dist/licenses.txt',
      ' M dist/index.js',
      '?? dist/chunks/deep/part.js',
      '?? dist/extra.js'
    ])
  })
})

describe('the build and the repository', () => {
  it('npm run build runs scripts/build.js, which empties dist/ before ncc writes it', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(scripts.build).toBe('node scripts/build.js')
    const build = readFileSync(path.join(root, 'scripts', 'build.js'), 'utf8')
    const empty = build.indexOf('rmSync(dist, { recursive: true, force: true })')
    const ncc = build.indexOf('spawnSync(process.execPath, [cli, ...args]')
    expect(empty).toBeGreaterThan(0)
    expect(ncc).toBeGreaterThan(empty)
    expect(build).toContain(
      "['build', 'src/index.ts', '-o', 'dist', '--minify', '--license', 'licenses.txt']"
    )
  })

  it('git shows dist/ in diffs (no -diff), collapsed on GitHub only as generated', () => {
    for (const name of DIST_FILES) {
      expect(runGit(root, 'check-attr', 'diff', 'linguist-generated', '--', name)).toBe(
        `${name}: diff: unspecified\n${name}: linguist-generated: true\n`
      )
    }
  })
})
