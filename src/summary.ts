/** The job summary: what was obtained, never the token itself. */
import type { Settings } from './settings.js'
import type { TokenResult } from './token.js'

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')
}

/** Markdown for the job summary. */
export function summaryMarkdown(settings: Settings, result: TokenResult): string {
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
  const table = rows.map(([k, v]) => `| ${k} | \`${cell(v)}\` |`).join('\n')
  return `### Logto access token\n\n| | |\n| --- | --- |\n${table}\n`
}
