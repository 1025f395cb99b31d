/** The job summary: what was obtained, never the token itself. */
import { printable } from './log-text.js'
import type { Settings } from './settings.js'
import type { TokenResult } from './token.js'

/**
 * A value as a Markdown code span inside a table cell. A code span shows its text literally (no
 * links, images or HTML), provided its fence is longer than any run of backticks inside; a table
 * cell still splits on `|`, which GitHub lets a backslash escape even in a code span.
 */
export function codeCell(text: string): string {
  const value = printable(text)
  const fence = '`'.repeat(longestBacktickRun(value) + 1)
  // A space on each side keeps a leading or trailing backtick from joining the fence.
  const pad = /^`|`$/.test(value) ? ' ' : ''
  return `${fence}${pad}${value.replace(/\|/g, '\\|')}${pad}${fence}`
}

/** The longest run of backticks in a text, in one pass: any server value, in linear time. */
export function longestBacktickRun(text: string): number {
  let longest = 0
  let run = 0
  for (let i = 0; i < text.length; i++) {
    run = text.charCodeAt(i) === 96 ? run + 1 : 0
    if (run > longest) longest = run
  }
  return longest
}

/** Markdown for the job summary; `secretExpiry` is the app secret row, shown within its window. */
export function summaryMarkdown(
  settings: Settings,
  result: TokenResult,
  secretExpiry?: string
): string {
  const rows: [string, string][] = [
    ['Endpoint', settings.endpoint],
    ['App ID', settings.appId]
  ]
  if (settings.organizationId) rows.push(['Organization', settings.organizationId])
  rows.push(['Audience', result.audience])
  rows.push(['Granted scopes', result.scope || '(none)'])
  if (result.missingScopes.length > 0) {
    rows.push(['Not granted', result.missingScopes.join(' ')])
  }
  rows.push([
    'Expires',
    result.expiresAt ? `${result.expiresAt} (in ${result.expiresIn} s)` : '(not given)'
  ])
  rows.push(['Attempts', String(result.attempts)])
  if (secretExpiry) rows.push(['App secret', secretExpiry])
  const table = rows.map(([k, v]) => `| ${k} | ${codeCell(v)} |`).join('\n')
  return `### Logto access token\n\n| | |\n| --- | --- |\n${table}\n`
}
