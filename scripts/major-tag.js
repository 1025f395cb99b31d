#!/usr/bin/env node
/**
 * Moves the major tag `vX` to a published release, for a release manager (RELEASING.md, "Move the
 * major tag"): the tag ruleset lets only release managers create, move or delete `v*` tags, and
 * GitHub Actions cannot be one of them, so the release workflow does not move `vX` itself.
 *
 * It reads the remote's tags (`git ls-remote`, nothing local is trusted), and moves `vX` only
 * when TAG is the highest `vX.*.*` there, to the commit TAG names there (locked by the immutable
 * release the workflow published). A backport (v1.1.5 after v1.2.0) leaves `v1` where it is.
 *
 * Usage: node scripts/major-tag.js TAG [--remote NAME] [--push]
 *   Without --push it prints the `git push` it would run. REMOTE defaults to origin.
 * Exit status: 0 done (or nothing to do), 1 refused, 2 usage error.
 */
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import { majorTagDecision, parseReleaseTag, remoteTags } from './lib/release-rules.js'

/**
 * Runs git with inherited stderr; its status and stdout.
 * @param {string[]} args
 */
function git(args) {
  const result = spawnSync('git', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024
  })
  if (result.error) throw result.error
  return { status: result.status, stdout: result.stdout }
}

function main() {
  let parsed
  try {
    parsed = parseArgs({
      options: { remote: { type: 'string' }, push: { type: 'boolean' } },
      allowPositionals: true
    })
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    return 2
  }
  const { values, positionals } = parsed
  if (positionals.length !== 1 || !parseReleaseTag(positionals[0])) {
    console.error('Usage: node scripts/major-tag.js vX.Y.Z [--remote NAME] [--push]')
    return 2
  }
  const [tag] = positionals
  const remote = values.remote ?? 'origin'
  const listing = git(['ls-remote', '--tags', remote])
  if (listing.status !== 0) {
    console.error(`git ls-remote --tags ${remote} failed (${listing.status}).`)
    return 1
  }
  const tags = remoteTags(listing.stdout)
  const commit = tags.get(tag)
  if (commit === undefined) {
    console.error(`${tag} is not a tag on ${remote}: push it and wait for the release workflow.`)
    return 1
  }
  const { major, move, highest } = majorTagDecision(tag, [...tags.keys()])
  if (!move) {
    console.log(
      `${major} stays at ${highest} (${tags.get(major) ?? 'missing'}): ${tag} is not the ` +
        `highest ${major}.*.* on ${remote}.`
    )
    return 0
  }
  if (tags.get(major) === commit) {
    console.log(`${major} already names ${commit} (${tag}) on ${remote}.`)
    return 0
  }
  const push = ['push', '--force', remote, `${commit}:refs/tags/${major}`]
  if (!values.push) {
    console.log(`${major} should move to ${commit} (${tag}); run (or add --push):`)
    console.log(`git ${push.join(' ')}`)
    return 0
  }
  const pushed = git(push)
  if (pushed.status !== 0) {
    console.error(`git ${push.join(' ')} failed (${pushed.status}).`)
    return 1
  }
  console.log(`${major} now names ${commit} (${tag}) on ${remote}.`)
  return 0
}

process.exitCode = main()
