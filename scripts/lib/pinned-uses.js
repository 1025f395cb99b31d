/**
 * The pinning rule for the documentation's workflow snippets (scripts/lint-actions.js): every
 * `uses:` of another action names a full 40-character commit SHA followed by a `# vX.Y.Z`
 * comment, as the repository's workflows do and docs/versions.md recommends. Only this action
 * itself (`OWNER/logto-m2m-token-action@…`, whose owner the reader fills in) and local actions
 * (`./…`) are exempt.
 */

/** This action, as the documentation's snippets name it. */
const THIS_ACTION = /^OWNER\/logto-m2m-token-action(?:@|$)/
const USES_LINE = /^\s*(?:-\s+)?uses:\s*(['"]?)([^\s'"#]+)\1\s*(#.*)?$/
const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/
const VERSION_COMMENT = /^#\s*v\d+(?:\.\d+)*\b/

/**
 * The `uses:` lines of a snippet that name another action without a full commit SHA and a
 * version comment, with their 1-based line in the snippet.
 * @param {string} text
 * @returns {{ line: number, message: string }[]}
 */
export function unpinnedUses(text) {
  /** @type {{ line: number, message: string }[]} */
  const found = []
  text.split('\n').forEach((line, index) => {
    const match = USES_LINE.exec(line)
    if (!match) return
    const target = match[2]
    // An unmatched group is undefined, which the type of match[3] does not say.
    const comment = match.at(3) ?? ''
    if (THIS_ACTION.test(target) || target.startsWith('./')) return
    if (!PINNED.test(target)) {
      found.push({
        line: index + 1,
        message: `"${target}" is not pinned by a full commit SHA: write owner/repo@<40-hex SHA> # vX.Y.Z`
      })
    } else if (!VERSION_COMMENT.test(comment)) {
      found.push({
        line: index + 1,
        message: `"${target}" has no "# vX.Y.Z" comment naming the version of its SHA`
      })
    }
  })
  return found
}
