/**
 * The release notes the release workflow publishes (scripts/release-notes.js): the section of
 * CHANGELOG.md for the tag, and a refusal when tag, package.json and changelog disagree.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { releaseNotes, versionOfTag } from '../scripts/lib/changelog.js'

const root = process.cwd()
const script = path.join(root, 'scripts', 'release-notes.js')

const changelog = `# Changelog

Intro text.

## [Unreleased]

### Fixed

- Not released yet.

## [1.2.0] - 2026-12-01

### Added

- \`thing\` input.

### Fixed

- A fix.

## [1.1.0] - 2026-11-30

- Older.

## [1.0.0] - 2026-11-21

## [0.9.0] - 2026-11-01

- Oldest.

[1.2.0]: https://example.com/compare/v1.1.0...v1.2.0
`

describe('releaseNotes', () => {
  it.each([
    ['1.2.0', '### Added\n\n- `thing` input.\n\n### Fixed\n\n- A fix.'],
    ['1.1.0', '- Older.'],
    ['1.0.0', ''],
    ['0.9.0', '- Oldest.'],
    ['1.2', undefined],
    ['2.0.0', undefined],
    ['Unreleased', '### Fixed\n\n- Not released yet.']
  ])('version %s', (version, expected) => {
    expect(releaseNotes(changelog, version)).toBe(expected)
  })

  it('reads CRLF line endings', () => {
    expect(releaseNotes(changelog.replaceAll('\n', '\r\n'), '1.1.0')).toBe('- Older.')
  })

  it('finds the real changelog section of the current version', () => {
    const real = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8')
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string
    }
    expect(releaseNotes(real, version)).toMatch(/^### /)
  })
})

describe('versionOfTag', () => {
  it.each([
    ['v1.2.3', '1.2.3'],
    ['v10.0.12', '10.0.12'],
    ['1.2.3', undefined],
    ['v1', undefined],
    ['v1.2', undefined],
    ['v1.2.3-rc.1', undefined],
    ['v1.2.3\n', undefined]
  ])('%j gives %s', (tag, expected) => {
    expect(versionOfTag(tag)).toBe(expected)
  })
})

describe('release-notes CLI', () => {
  let dir: string
  let changelogFile: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'release-notes-'))
    changelogFile = path.join(dir, 'CHANGELOG.md')
    writeFileSync(changelogFile, changelog)
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  function notes(tag: string, packageVersion: string) {
    const packageFile = path.join(dir, `package-${packageVersion}.json`)
    writeFileSync(packageFile, JSON.stringify({ version: packageVersion }))
    const result = spawnSync(
      process.execPath,
      [script, tag, '--changelog', changelogFile, '--package', packageFile],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }
    )
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }

  it('prints the section of the tag', () => {
    const { status, stdout, stderr } = notes('v1.1.0', '1.1.0')
    expect(stderr).toBe('')
    expect(stdout).toBe('- Older.\n')
    expect(status).toBe(0)
  })

  it.each([
    ['v1.2.0', '1.1.0', 'v1.2.0 does not match package.json, which has version 1.1.0'],
    ['v2.0.0', '2.0.0', 'CHANGELOG.md has no "## [2.0.0]" section for v2.0.0'],
    ['v1.0.0', '1.0.0', 'The "## [1.0.0]" section of CHANGELOG.md is empty'],
    ['v1', '1.0.0', 'v1 is not a release tag']
  ])('refuses %s with package.json %s', (tag, packageVersion, message) => {
    const { status, stdout, stderr } = notes(tag, packageVersion)
    expect(stdout).toBe('')
    expect(stderr).toContain(message)
    expect(status).toBe(1)
  })
})
