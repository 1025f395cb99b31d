/**
 * The archive the runner downloads for every job (`git archive` of the commit a workflow names)
 * holds what runs and the documents a reader needs, nothing else, in at most 80 kB gzipped
 * (the export-ignore rules of .gitattributes). Checked on the archive of HEAD, so a change to
 * .gitattributes counts once committed; it is also checked with the working tree's
 * .gitattributes, to catch a bad edit before it is committed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { DIST_FILES } from '../scripts/lib/dist-status.js'
import { archiveUnavailable, gitArchive, tarEntries, tarPaths } from '../scripts/lib/git-archive.js'
import { runAction } from '../scripts/lib/runner.js'
import { fixtures } from '../tools/issuer/fixtures.js'
import { startIssuerProcess } from './support/issuer.js'
import { runGit } from './support/git.js'

const root = process.cwd()

/**
 * The target for `git archive HEAD | gzip -9`: 80 kB, counted as docs/performance.md does
 * (1000 bytes).
 */
const MAX_ARCHIVE_GZIP_BYTES = 80_000

/**
 * What the runner needs: action.yml, and dist/ exactly as the build writes it (the bundle, the
 * package.json that makes it an ES module, the licences of the bundled packages). A file under
 * dist/ beyond these would ship unattested, and action.yml could point a pre: or post: at it.
 */
const RUNS = ['action.yml', ...DIST_FILES]
/** What a reader needs to know what runs and on what terms. */
const DOCUMENTS = ['LICENSE', 'README.md', 'SECURITY.md', 'CHANGELOG.md', '.gitattributes']
/**
 * Tracked in the repository, never in the archive: the pages under docs/ (linked from the README,
 * read on GitHub), tests, tooling, sources, the mutation report.
 */
const LEFT_OUT = [
  'docs/',
  '__tests__/',
  'src/',
  'scripts/',
  'tools/',
  'bench/',
  'types/',
  '.github/',
  '.ci/',
  'reports/stryker-incremental.json',
  'stryker.config.json',
  'package-lock.json',
  'package.json',
  'eslint.config.js',
  'jest.config.js',
  'tsconfig.json',
  '.prettierrc.json',
  'RELEASING.md'
]

/** What is wrong with an archive holding `paths`; empty when nothing is. */
function archiveProblems(paths: readonly string[]): string[] {
  const files = paths.filter((name) => !name.endsWith('/'))
  const missing = [...RUNS, ...DOCUMENTS]
    .filter((name) => !files.includes(name))
    .map((name) => `lacks ${name}`)
  const extra = files
    .filter((name) => !DOCUMENTS.includes(name) && !RUNS.includes(name))
    .map((name) => `holds ${name}`)
  return [...missing, ...extra]
}

const unavailable = archiveUnavailable(root)
const ci = /^(true|1)$/i.test(process.env.CI ?? '')

describe('archive of HEAD', () => {
  if (unavailable !== undefined) {
    if (ci) {
      // CI runs in a clone (a shallow one will do); a copy without git proves nothing.
      it('can be taken in CI', () => {
        expect(`cannot check the archive: ${unavailable}`).toBe('')
      })
    } else {
      // eslint-disable-next-line jest/no-disabled-tests -- skipped with its reason in the title
      it.skip(`not checked: ${unavailable}`, () => {
        expect(unavailable).toBeUndefined()
      })
    }
    return
  }

  describe.each([
    ['as committed (what the runner downloads)', false],
    ["with the working tree's .gitattributes", true]
  ])('%s', (_label, worktreeAttributes) => {
    let tar: Buffer
    let paths: string[]
    beforeAll(() => {
      tar = gitArchive(root, { worktreeAttributes })
      paths = tarPaths(tar)
    })

    it('holds action.yml, exactly the files of dist/, LICENSE and the documents, and nothing else', () => {
      expect(archiveProblems(paths)).toEqual([])
    })

    it.each(LEFT_OUT)('leaves out %s, which the clone has', (name) => {
      // The name is real: a typo here would make the check pass for nothing.
      expect(existsSync(path.join(root, name))).toBe(true)
      expect(paths.filter((entry) => entry === name || entry.startsWith(name))).toEqual([])
    })

    it(`is at most ${MAX_ARCHIVE_GZIP_BYTES / 1000} kB with gzip -9`, () => {
      expect(gzipSync(tar, { level: 9 }).length).toBeLessThanOrEqual(MAX_ARCHIVE_GZIP_BYTES)
    })
  })

  it('runs as the runner runs it, unpacked on its own: a token from the issuer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'archive-run-'))
    const issuer = await startIssuerProcess()
    try {
      for (const entry of tarEntries(gitArchive(root))) {
        const target = path.join(dir, ...entry.path.split('/'))
        if (entry.directory) mkdirSync(target, { recursive: true })
        else writeFileSync(target, entry.data)
      }
      const { m2m } = fixtures.apps
      const result = await runAction({
        actionDir: dir,
        inputs: {
          endpoint: issuer.endpoint,
          'app-id': m2m.clientId,
          'app-secret': m2m.clientSecret
        }
      })
      expect(result.log).not.toContain('::error')
      expect(result.code).toBe(0)
      expect(result.outputs['access-token']).toMatch(/^eyJ/)
    } finally {
      await issuer.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

const gitMissing = spawnSync('git', ['--version']).error !== undefined
// Without git at all, outside CI, there is nothing to run these on (the reason is in the title).
const describeWithGit = gitMissing && !ci ? describe.skip : describe

describeWithGit('the check itself, on a repository made for it (skipped without git)', () => {
  let repo: string
  const git = (...args: string[]) => runGit(repo, ...args)
  const put = (name: string, text = `${name}\n`) => {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true })
    writeFileSync(path.join(repo, name), text)
  }
  const longName = `dist/${'a-long-folder-name/'.repeat(6)}chunk.js`

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'archive-'))
    git('init', '-q')
    git('config', 'commit.gpgsign', 'false')
    for (const name of [...RUNS, ...DOCUMENTS.filter((name) => name !== '.gitattributes')]) {
      put(name)
    }
    put(longName)
    put('__tests__/a.test.ts')
    put('reports/stryker-incremental.json', '{}\n')
    put('package-lock.json', '{}\n')
    copyFileSync(path.join(root, '.gitattributes'), path.join(repo, '.gitattributes'))
    git('add', '-A')
    git('commit', '-q', '-m', 'with the export-ignore rules')
  })
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true })
  })

  it('names a file under dist/ that the build does not write, and reads long paths', () => {
    const paths = tarPaths(gitArchive(repo))
    expect(paths).toContain(longName)
    expect(archiveProblems(paths)).toEqual([`holds ${longName}`])
  })

  it("finds no problem with this repository's .gitattributes and dist/ as built", () => {
    git('rm', '-q', '-r', '--cached', 'dist/a-long-folder-name')
    rmSync(path.join(repo, 'dist', 'a-long-folder-name'), { recursive: true })
    git('commit', '-q', '-m', 'dist/ as the build writes it')
    expect(archiveProblems(tarPaths(gitArchive(repo)))).toEqual([])
  })

  it('names the tests, the mutation report and the lock file without the rules', () => {
    rmSync(path.join(repo, '.gitattributes'))
    git('add', '-A')
    git('commit', '-q', '-m', 'without them')
    expect(archiveProblems(tarPaths(gitArchive(repo))).sort()).toEqual([
      'holds __tests__/a.test.ts',
      'holds package-lock.json',
      'holds reports/stryker-incremental.json',
      'lacks .gitattributes'
    ])
  })

  it('names what the runner needs when it is left out', () => {
    put('.gitattributes', '/dist export-ignore\n/LICENSE export-ignore\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'too much left out')
    expect(archiveProblems(tarPaths(gitArchive(repo)))).toEqual(
      expect.arrayContaining([
        'lacks dist/index.js',
        'lacks dist/package.json',
        'lacks dist/licenses.txt',
        'lacks LICENSE'
      ])
    )
  })
})
