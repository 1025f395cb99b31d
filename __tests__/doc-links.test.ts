/**
 * Links between the documentation's pages: every relative link in README.md, docs/*.md and the
 * other Markdown files a reader follows from them names a file of the repository, and every
 * `#anchor` names a heading of its page, as GitHub makes heading anchors (lower case, punctuation
 * dropped, spaces to hyphens, `-1`, `-2` … for repeated headings). Links to other sites are not
 * fetched.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

const root = process.cwd()

/** The pages checked, relative to the repository. */
const PAGES = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
  'SECURITY.md',
  'CHANGELOG.md',
  'RELEASING.md',
  'bench/README.md'
]

/** The lines of a Markdown text outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = []
  let fence: string | undefined
  markdown.split(/\r?\n/).forEach((text, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1]
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined
      return
    }
    if (marker) {
      fence = marker
      return
    }
    lines.push({ line: index + 1, text })
  })
  return lines
}

/** A heading's anchor as GitHub makes it from the heading's text (github-slugger's rule). */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/[`*]/g, '') // code spans, emphasis
    .replace(/(^|\s)_+|_+(\s|$)/g, '$1$2') // _emphasis_, not snake_case
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-')
}

/** Every anchor GitHub gives the headings of a page, repeated ones numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const { text } of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$/.exec(text)?.[1]
    if (heading === undefined) continue
    const base = githubSlug(heading)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    result.add(count === 0 ? base : `${base}-${count}`)
  }
  return result
}

/** The relative links of a page (outside code), with their lines. */
function relativeLinks(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = []
  for (const { line, text } of proseLines(markdown)) {
    const prose = text.replace(/`[^`]*`/g, '')
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1]
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // https:, mailto: …
      links.push({ line, target })
    }
  }
  return links
}

/**
 * What is wrong with the links of `pages` (paths relative to `base`): links to files that do not
 * exist, and anchors that name no heading of their page.
 */
function linkProblems(base: string, pages: readonly string[]): string[] {
  const problems: string[] = []
  const texts = new Map<string, string>()
  const read = (file: string) => {
    if (!texts.has(file)) texts.set(file, readFileSync(path.join(base, file), 'utf8'))
    return texts.get(file) ?? ''
  }
  for (const page of pages) {
    for (const { line, target } of relativeLinks(read(page))) {
      const [file, anchor] = target.split('#', 2) as [string, string | undefined]
      const resolved = file
        ? path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURI(file)))
        : page
      const where = `${page}:${line}: ${target}`
      if (resolved.startsWith('..') || !existsSync(path.join(base, resolved))) {
        problems.push(`${where}: ${resolved} does not exist`)
        continue
      }
      if (anchor === undefined) continue
      if (!resolved.endsWith('.md') || statSync(path.join(base, resolved)).isDirectory()) {
        problems.push(`${where}: an anchor into ${resolved}, which is not a Markdown page`)
      } else if (!anchors(read(resolved)).has(anchor)) {
        problems.push(`${where}: ${resolved} has no heading with the anchor #${anchor}`)
      }
    }
  }
  return problems
}

describe('links between the documentation pages', () => {
  it('every relative link names a file, and every #anchor a heading of its page', () => {
    expect(PAGES.filter((page) => !existsSync(path.join(root, page)))).toEqual([])
    expect(linkProblems(root, PAGES)).toEqual([])
  })

  it('the README links to every page of docs/', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
    const linked = new Set(relativeLinks(readme).map((link) => link.target.split('#')[0]))
    expect(PAGES.filter((page) => page.startsWith('docs/') && !linked.has(page))).toEqual([])
  })
})

describe('the link check itself', () => {
  it.each([
    ['Choosing the version in `uses:`', 'choosing-the-version-in-uses'],
    [
      '`npm start`: the bundle, as the runner runs it',
      'npm-start-the-bundle-as-the-runner-runs-it'
    ],
    ["The app's secrets list", 'the-apps-secrets-list'],
    ['Node.js with `@logto/api`', 'nodejs-with-logtoapi'],
    ['Timeouts, TLS, answers that are not Logto’s', 'timeouts-tls-answers-that-are-not-logtos'],
    ['What a token is and is not', 'what-a-token-is-and-is-not'],
    ['Set up [Logto](https://logto.io) — *fast*', 'set-up-logto--fast'],
    ['env_name and GITHUB_TOKEN', 'env_name-and-github_token']
  ])('makes GitHub’s anchor of "%s": %s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug)
  })

  it('names a missing file, a missing anchor and a repeated heading’s anchor', () => {
    const base = path.join(root, '__tests__', 'fixtures', 'doc-links')
    expect(linkProblems(base, ['README.md'])).toEqual([
      'README.md:5: docs/missing.md: docs/missing.md does not exist',
      'README.md:6: docs/page.md#no-such-heading: docs/page.md has no heading with the anchor #no-such-heading',
      'README.md:7: #usage-2: README.md has no heading with the anchor #usage-2'
    ])
  })
})
