/** Plain-text rendering of what a run produced, for terminals. */

/**
 * Aligns rows of cells into columns separated by two spaces.
 * @param {readonly (readonly string[])[]} rows
 * @param {string} [indent]
 */
export function columns(rows, indent = '') {
  /** @type {number[]} */
  const widths = []
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length)
    })
  }
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd()
    )
    .join('\n')
}

/**
 * Indents every line of a block.
 * @param {string} text
 * @param {string} indent
 */
export function indent(text, indent) {
  return text
    .split('\n')
    .map((line) => (line ? indent + line : line))
    .join('\n')
}

/**
 * Splits a Markdown table row into cells, honouring `\|` escapes.
 * @param {string} line
 */
function cells(line) {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell.trim().replace(/\\\|/g, '|')))
}

/**
 * Drops the Markdown markup a job summary uses inline (code spans, emphasis).
 * @param {string} text
 */
function inline(text) {
  return text.replace(/`([^`]*)`/g, '$1').replace(/\*\*([^*]*)\*\*/g, '$1')
}

/**
 * Renders the Markdown of a job summary as plain text: headings, aligned tables, paragraphs.
 * @param {string} markdown
 */
export function markdownToText(markdown) {
  /** @type {string[]} */
  const out = []
  /** @type {string[][]} */
  let table = []
  const flush = () => {
    // A header row of empty cells is how summaries make a table without column titles.
    const rows = table.filter((row, i) => i > 0 || row.some(Boolean))
    if (rows.length > 0) out.push(columns(rows))
    table = []
  }
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*\|/.test(line)) {
      if (!/^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(line)) table.push(cells(line))
      continue
    }
    flush()
    const heading = /^#{1,6}\s+(.*)$/.exec(line)
    if (heading) {
      const title = inline(heading[1])
      out.push(title, '-'.repeat(title.length))
    } else {
      out.push(inline(line))
    }
  }
  flush()
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/**
 * The variables a run exported, as later steps would see them, each value as the runner's log
 * would show it.
 * @param {Record<string, string>} env
 * @param {{ mask(text: string): string }} masker
 */
export function exportedVariables(env, masker) {
  const exported = Object.entries(env)
  return exported.length
    ? columns(
        exported.map(([k, v]) => [`${k}=${masker.mask(v)}`]),
        '  '
      )
    : '  (none)'
}
