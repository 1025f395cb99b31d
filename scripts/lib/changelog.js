/** Reading CHANGELOG.md (Keep a Changelog format) for a release. */

/**
 * The body of the `## [version]` section, without its heading and trimmed; undefined when the
 * changelog has no such section.
 * @param {string} markdown
 * @param {string} version such as 1.2.3 (no leading v)
 * @returns {string | undefined}
 */
export function releaseNotes(markdown, version) {
  const lines = markdown.split(/\r?\n/)
  const heading = (/** @type {string} */ line) => /^## (?!#)/.test(line)
  const start = lines.findIndex(
    (line) => heading(line) && line.slice(3).trim().split(/\s/)[0] === `[${version}]`
  )
  if (start === -1) return undefined
  let end = start + 1
  while (end < lines.length && !heading(lines[end]) && !/^\[[^\]]+\]:\s/.test(lines[end])) end++
  return lines
    .slice(start + 1, end)
    .join('\n')
    .trim()
}

/**
 * The version a release tag names: v1.2.3 gives 1.2.3; undefined for anything else, including
 * the moving major tags (v1) and pre-release suffixes, which this project does not publish.
 * @param {string} tag
 * @returns {string | undefined}
 */
export function versionOfTag(tag) {
  const match = /^v(\d+\.\d+\.\d+)$/.exec(tag)
  return match ? match[1] : undefined
}
