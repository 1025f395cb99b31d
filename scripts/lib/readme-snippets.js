/**
 * The ```yaml snippets of a Markdown file, as workflows a linter can check: a snippet that is a
 * whole workflow (has `on` and `jobs`) stays as it is; a list of steps becomes the steps of a
 * minimal job. Line numbers map back to the Markdown file.
 */
import { parseDocument } from 'yaml'

/** @typedef {{ line: number, text: string }} Snippet  line: 1-based line of the snippet's first line */
/** @typedef {{ snippet: Snippet, kind: 'workflow' | 'steps', workflow: string, offset: number }} Wrapped */

const STEPS_HEADER = ['on: push', 'jobs:', '  snippet:', '    runs-on: ubuntu-latest', '    steps:']

/**
 * Every fenced block whose info string is yaml or yml.
 * @param {string} markdown
 * @returns {Snippet[]}
 */
export function yamlSnippets(markdown) {
  const lines = markdown.split(/\r?\n/)
  /** @type {Snippet[]} */
  const snippets = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*(ya?ml)\b/i.exec(lines[i])
    if (!open) continue
    const fence = open[2]
    const body = []
    let j = i + 1
    while (j < lines.length && !lines[j].trimStart().startsWith(fence)) body.push(lines[j++])
    snippets.push({ line: i + 2, text: `${body.join('\n')}\n` })
    i = j
  }
  return snippets
}

/**
 * Whether a snippet has a step that uses an action, the snippets worth linting as workflow steps.
 * @param {Snippet} snippet
 */
export function hasUsesStep(snippet) {
  return /^\s*(?:-\s+)?uses:\s*\S/m.test(snippet.text)
}

/**
 * The snippet as a workflow; offset is what to add to a line of the workflow to get the snippet's
 * line in the Markdown file.
 * @param {Snippet} snippet
 * @returns {Wrapped}
 */
export function asWorkflow(snippet) {
  const data = parseDocument(snippet.text).toJS()
  const isWorkflow =
    typeof data === 'object' && data !== null && !Array.isArray(data) && 'jobs' in data
  if (isWorkflow) {
    return { snippet, kind: 'workflow', workflow: snippet.text, offset: snippet.line - 1 }
  }
  const indented = snippet.text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? `      ${line}` : line))
  return {
    snippet,
    kind: 'steps',
    workflow: `${[...STEPS_HEADER, ...indented].join('\n')}\n`,
    offset: snippet.line - 1 - STEPS_HEADER.length
  }
}
