/**
 * The release rules the release workflow and the release managers apply, as pure functions so
 * that tests can table them: which version tags exist and how they order, whether a release
 * moves the major tag, whether a commit's CI passed, and whether a tag ruleset protects `v*`.
 * scripts/release-gate.js reads GitHub's answers on stdin and applies them.
 */

/** @typedef {{ major: number, minor: number, patch: number }} Version */

/**
 * The version of a release tag `vX.Y.Z` (digits only, no leading zeros, no pre-release or build
 * part), or undefined for any other name (`v1`, `v1.2`, `v1.2.3-rc.1`, `1.2.3`).
 * @param {string} tag
 * @returns {Version | undefined}
 */
export function parseReleaseTag(tag) {
  const match = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(tag)
  if (!match) return undefined
  const [major, minor, patch] = match.slice(1).map(Number)
  if (![major, minor, patch].every(Number.isSafeInteger)) return undefined
  return { major, minor, patch }
}

/**
 * Semantic-version order of two versions: negative, zero or positive.
 * @param {Version} a
 * @param {Version} b
 */
export function compareVersions(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/**
 * Whether releasing `tag` moves its major tag `vX`: only when `tag` is the highest `vX.*.*` among
 * `tags` (the repository's tag names; `tag` itself need not be among them). A backport (`v1.1.5`
 * after `v1.2.0`) leaves `vX` where it is, so `@v1` never goes back to older code.
 * @param {string} tag
 * @param {readonly string[]} tags
 * @returns {{ major: string, move: boolean, highest: string }}
 */
export function majorTagDecision(tag, tags) {
  const version = parseReleaseTag(tag)
  if (!version) throw new Error(`${tag} is not a release tag vX.Y.Z`)
  let highest = { tag, version }
  for (const other of tags) {
    const parsed = parseReleaseTag(other)
    if (parsed?.major !== version.major) continue
    if (compareVersions(parsed, highest.version) > 0) highest = { tag: other, version: parsed }
  }
  return { major: `v${version.major}`, move: highest.tag === tag, highest: highest.tag }
}

/**
 * The commit each tag names, from `git ls-remote --tags` output (an annotated tag's `^{}` line
 * gives its commit).
 * @param {string} listing
 */
export function remoteTags(listing) {
  /** @type {Map<string, string>} */
  const commits = new Map()
  for (const line of listing.split('\n')) {
    const match = /^([0-9a-f]{40,64})\trefs\/tags\/(.+?)(\^\{\})?$/.exec(line.trim())
    if (!match) continue
    const [, sha, name, peeled] = match
    if (peeled || !commits.has(name)) commits.set(name, sha)
  }
  return commits
}

/**
 * The check runs that must have passed on a commit before it is released: every job of
 * .github/workflows/ci.yml on every OS of its matrix (__tests__/release-workflow.test.ts derives
 * the same names from ci.yml, so a renamed job cannot leave this list behind).
 */
export const REQUIRED_CHECKS = ['ubuntu-latest', 'windows-latest', 'macos-latest'].flatMap((os) => [
  `check (${os})`,
  `run the action against the embedded issuer (${os})`
])

/** @typedef {{ name?: string, status?: string, conclusion?: string | null, app?: string | null }} CheckRun */

/**
 * What is missing for the commit's CI to count as passed: for each required name, at least one
 * completed check run by GitHub Actions (app `github-actions`) that succeeded. A failed run with
 * a successful re-run passes; a run still in progress, or only failed runs, do not.
 * @param {readonly CheckRun[]} runs
 * @param {readonly string[]} [required]
 * @returns {string[]} one line per required check that did not pass; empty when all did
 */
export function failedChecks(runs, required = REQUIRED_CHECKS) {
  return required.flatMap((name) => {
    const mine = runs.filter((run) => run.name === name && run.app === 'github-actions')
    if (mine.some((run) => run.status === 'completed' && run.conclusion === 'success')) return []
    if (mine.length === 0) return [`${name}: no check run`]
    const seen = mine.map((run) => (run.status === 'completed' ? run.conclusion : run.status))
    return [`${name}: ${[...new Set(seen)].join(', ')}`]
  })
}

/**
 * @typedef {{
 *   name?: string,
 *   target?: string,
 *   enforcement?: string,
 *   conditions?: { ref_name?: { include?: string[], exclude?: string[] } } | null,
 *   rules?: { type: string }[],
 *   current_user_can_bypass?: string
 * }} Ruleset
 */

/** The rule types that keep `v*` tags from being created, moved or deleted by anyone else. */
export const TAG_RULES = ['creation', 'update', 'deletion']

/** Whether a ruleset's ref-name condition covers every `refs/tags/v…` name. */
function coversVersionTags(/** @type {Ruleset} */ ruleset) {
  const include = ruleset.conditions?.ref_name?.include ?? []
  const exclude = ruleset.conditions?.ref_name?.exclude ?? []
  const covered = include.some((pattern) => pattern === '~ALL' || pattern === 'refs/tags/v*')
  const carvedOut = exclude.some(
    (pattern) => pattern === '~ALL' || pattern.startsWith('refs/tags/v')
  )
  return covered && !carvedOut
}

/**
 * What keeps the repository's tag rulesets (full ruleset objects, as `GET
 * /repos/{owner}/{repo}/rulesets/{id}` answers) from protecting `refs/tags/v*`: together, the
 * active tag rulesets that cover every `refs/tags/v…` name must restrict creation, update and
 * deletion, and none may let the caller (the workflow's token, and so any workflow of the
 * repository) bypass them. Who may bypass (the release managers) is not visible to that token.
 * @param {readonly Ruleset[]} rulesets
 * @returns {string[]} empty when the tags are protected
 */
export function tagRulesetProblems(rulesets) {
  const covering = rulesets.filter(
    (ruleset) =>
      ruleset.target === 'tag' && ruleset.enforcement === 'active' && coversVersionTags(ruleset)
  )
  if (covering.length === 0) {
    return [
      'no active tag ruleset covers refs/tags/v* (include refs/tags/v* or ~ALL, no exclusion)'
    ]
  }
  const types = new Set(covering.flatMap((ruleset) => (ruleset.rules ?? []).map((r) => r.type)))
  const problems = TAG_RULES.filter((type) => !types.has(type)).map(
    (type) => `no active tag ruleset covering refs/tags/v* has the rule ${type}`
  )
  for (const ruleset of covering) {
    const bypass = ruleset.current_user_can_bypass
    if (bypass !== undefined && bypass !== 'never') {
      problems.push(
        `the workflow's token can bypass ruleset "${ruleset.name ?? '?'}" (${bypass}): ` +
          'remove GitHub Actions and any app or role it acts as from its bypass list'
      )
    }
  }
  return problems
}
