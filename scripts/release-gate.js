#!/usr/bin/env node
/**
 * The release workflow's gates on what GitHub answers, read as JSON on stdin (the workflow gets
 * it with `gh api`; scripts/lib/release-rules.js holds the rules):
 *
 *   node scripts/release-gate.js checks        check runs of the commit, one JSON object a line
 *                                              ({ name, status, conclusion, app }): every job of
 *                                              ci.yml passed on it
 *   node scripts/release-gate.js tag-ruleset   a JSON array of the repository's tag rulesets (full
 *                                              objects): refs/tags/v* is protected
 *   node scripts/release-gate.js major-tag TAG the repository's tag names, one a line: prints
 *                                              `move vX` when TAG is the highest vX.*.*, else
 *                                              `stay vX vA.B.C` (the higher release)
 *
 * Exit status: 0 passed, 1 refused (what is wrong on stderr), 2 usage error or unreadable input.
 */
import { readFileSync } from 'node:fs'
import {
  REQUIRED_CHECKS,
  failedChecks,
  majorTagDecision,
  parseReleaseTag,
  tagRulesetProblems
} from './lib/release-rules.js'

const USAGE = 'Usage: node scripts/release-gate.js checks | tag-ruleset | major-tag TAG  (< input)'

/** @param {string} text */
function jsonLines(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /** @type {unknown} */ (JSON.parse(line)))
}

/**
 * @param {string[]} args
 * @param {string} input
 */
function main(args, input) {
  const [command, ...rest] = args
  if (command === 'checks' && rest.length === 0) {
    const runs = /** @type {import('./lib/release-rules.js').CheckRun[]} */ (jsonLines(input))
    const failed = failedChecks(runs)
    if (failed.length > 0) {
      console.error(
        `CI has not passed on this commit. Required (each at least once, completed, success):\n` +
          `${failed.map((line) => `  ${line}`).join('\n')}\n` +
          'Wait for the CI run of main on this commit to pass (or re-run its failed jobs), then ' +
          're-run this workflow.'
      )
      return 1
    }
    console.log(`CI passed on this commit: ${REQUIRED_CHECKS.join(', ')}.`)
    return 0
  }
  if (command === 'tag-ruleset' && rest.length === 0) {
    const rulesets = JSON.parse(input.trim() || '[]')
    if (!Array.isArray(rulesets)) throw new Error('expected a JSON array of rulesets')
    const problems = tagRulesetProblems(rulesets)
    if (problems.length > 0) {
      console.error(
        `The v* tags are not protected, so whoever can push a tag could release:\n` +
          `${problems.map((line) => `  ${line}`).join('\n')}\n` +
          'Set up the tag ruleset as RELEASING.md ("Rulesets") says, then re-run this workflow.'
      )
      return 1
    }
    console.log('An active tag ruleset restricts creating, moving and deleting refs/tags/v*.')
    return 0
  }
  if (command === 'major-tag' && rest.length === 1 && parseReleaseTag(rest[0])) {
    const tags = input
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    const { major, move, highest } = majorTagDecision(rest[0], tags)
    console.log(move ? `move ${major}` : `stay ${major} ${highest}`)
    return 0
  }
  console.error(USAGE)
  return 2
}

try {
  process.exitCode = main(process.argv.slice(2), readFileSync(0, 'utf8'))
} catch (error) {
  console.error(`unreadable input: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 2
}
