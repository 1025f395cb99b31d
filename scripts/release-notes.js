#!/usr/bin/env node
/**
 * Checks that a release tag fits the repository and prints its release notes: the tag is vX.Y.Z,
 * package.json has version X.Y.Z, and CHANGELOG.md has a non-empty `## [X.Y.Z]` section, whose
 * body goes to stdout. The release workflow passes the output to `gh release create`.
 *
 * Usage: node scripts/release-notes.js TAG [--changelog FILE] [--package FILE]
 * Exit status: 0 ok, 1 the tag does not fit, 2 usage error.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { releaseNotes, versionOfTag } from './lib/changelog.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The command line, or undefined (after saying why) when it has an unknown option. */
function commandLine() {
  try {
    return parseArgs({
      options: { changelog: { type: 'string' }, package: { type: 'string' } },
      allowPositionals: true
    })
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    return undefined
  }
}

function main() {
  const parsed = commandLine()
  if (!parsed) return 2
  const { values, positionals } = parsed
  if (positionals.length !== 1) {
    console.error('Usage: node scripts/release-notes.js TAG [--changelog FILE] [--package FILE]')
    return 2
  }
  const tag = positionals[0]
  const version = versionOfTag(tag)
  if (!version) {
    console.error(`${tag} is not a release tag: expected vX.Y.Z, for example v1.2.3.`)
    return 1
  }
  const packageFile = values.package ?? path.join(repoRoot, 'package.json')
  const packageVersion = JSON.parse(readFileSync(packageFile, 'utf8')).version
  if (packageVersion !== version) {
    console.error(
      `${tag} does not match package.json, which has version ${packageVersion}: ` +
        `run npm version ${version} --no-git-tag-version and tag the commit that has it.`
    )
    return 1
  }
  const changelogFile = values.changelog ?? path.join(repoRoot, 'CHANGELOG.md')
  const notes = releaseNotes(readFileSync(changelogFile, 'utf8'), version)
  if (notes === undefined) {
    console.error(`CHANGELOG.md has no "## [${version}]" section for ${tag}.`)
    return 1
  }
  if (notes === '') {
    console.error(`The "## [${version}]" section of CHANGELOG.md is empty.`)
    return 1
  }
  process.stdout.write(`${notes}\n`)
  return 0
}

process.exitCode = main()
