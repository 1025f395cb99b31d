/** Pure helpers that make text from a server or an input safe to print on one log line. */

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
// overrides: the runner splits lines on some of these and a reader's eye is fooled by the rest.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g
// What server text shows as one space: a run of white space or of the characters above.
// eslint-disable-next-line no-control-regex
const BLANK_RUN = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g
// What the runner parses as a workflow command (actions/runner, ActionCommand.cs): a line that
// starts with `::` after leading whitespace, and the legacy `##[` anywhere in a line. A space goes
// between the two colons of a leading `::` and after the `#` that starts `##[`; every other `::`
// stays, so IPv6 addresses (`::1`) and URNs keep their form.
// printable trims the text, so a leading `::` is at its very start.
const LEADING_COMMAND = /^:(?=:)/
const LEGACY_COMMAND = /#(?=#\[)/g

/** The longest server text quoted in a message. */
export const MAX_QUOTE = 200

/** The text with every control character (and line break) turned into a space, trimmed. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, ' ').trim()
}

/**
 * One log line: printable, and with what the runner would read as a workflow command broken up
 * (a leading `::`, any `##[`), whether the text starts a line or follows a message's words.
 */
export function oneLine(text: string): string {
  return printable(text).replace(LEADING_COMMAND, ': ').replace(LEGACY_COMMAND, '# ')
}

/** A line for the log, built by `line`: each interpolated value neutralised, then the whole. */
export type LogLine = string & { readonly __logLine: true }

/**
 * The one way to build a log line: every interpolated value goes through oneLine (so no value
 * can break the line or start a workflow command), and the joined text has its commands broken
 * up too, since a value that ends in `#` next to text that starts with `#[` would make a command
 * of two harmless parts. The text is not trimmed, so parts of a line can be joined.
 */
export function line(strings: TemplateStringsArray, ...values: unknown[]): LogLine {
  let text = strings[0]
  values.forEach((value, i) => {
    text += oneLine(String(value)) + strings[i + 1]
  })
  return text.replace(/^(\s*):(?=:)/, '$1: ').replace(LEGACY_COMMAND, '# ') as LogLine
}

/** Text already built for the log (a thrown error's message, say) as one neutralised line. */
export function asLine(text: string): LogLine {
  return oneLine(text) as LogLine
}

/**
 * Finds every occurrence of a set of forms in one pass over a text (Aho-Corasick), so the work
 * is linear in the text plus the forms, however many forms there are and however they overlap.
 * The trie lives in typed arrays, its transitions in one open-addressing table, so a form of a
 * megabyte costs a few arrays, not a million objects.
 */
class FormMatcher {
  /** Transitions: slot → parent node, UTF-16 code unit, child node (0: empty slot). */
  private readonly slotNode: Int32Array
  private readonly slotUnit: Uint16Array
  private readonly slotChild: Int32Array
  private readonly mask: number
  private readonly fail: Int32Array
  /** The length of the longest form that ends at a node (its own, or one of its suffixes). */
  private readonly longest: Int32Array
  /** The length of the longest form. */
  readonly maxLength: number

  constructor(forms: Iterable<string>) {
    // An empty form adds nothing: it ends at the root, which matches nothing.
    const list = [...forms]
    const capacity = list.reduce((sum, form) => sum + form.length, 1)
    let slots = 2
    while (slots < 2 * capacity) slots *= 2
    this.mask = slots - 1
    this.slotNode = new Int32Array(slots)
    this.slotUnit = new Uint16Array(slots)
    this.slotChild = new Int32Array(slots)
    this.fail = new Int32Array(capacity)
    this.longest = new Int32Array(capacity)
    const firstChild = new Int32Array(capacity).fill(-1)
    // Set for each node as it is made, before anything reads it.
    const sibling = new Int32Array(capacity)
    const unit = new Uint16Array(capacity)
    const depth = new Int32Array(capacity)
    let nodes = 1
    let maxLength = 0
    for (const form of list) {
      maxLength = Math.max(maxLength, form.length)
      let node = 0
      for (let i = 0; i < form.length; i++) {
        const code = form.charCodeAt(i)
        let child = this.child(node, code)
        if (child === 0) {
          child = nodes++
          depth[child] = depth[node] + 1
          unit[child] = code
          sibling[child] = firstChild[node]
          firstChild[node] = child
          this.add(node, code, child)
        }
        node = child
      }
      this.longest[node] = depth[node]
    }
    this.maxLength = maxLength
    // Breadth first, so each node's failure link points at a node already complete.
    const queue = new Int32Array(nodes)
    let tail = 0
    for (let c = firstChild[0]; c !== -1; c = sibling[c]) queue[tail++] = c
    for (let head = 0; head < tail; head++) {
      const node = queue[head]
      for (let child = firstChild[node]; child !== -1; child = sibling[child]) {
        this.fail[child] = this.step(this.fail[node], unit[child])
        if (this.longest[child] === 0) this.longest[child] = this.longest[this.fail[child]]
        queue[tail++] = child
      }
    }
  }

  private slot(node: number, code: number): number {
    let slot = (Math.imul(node, 0x9e3779b1) ^ Math.imul(code + 1, 0x85ebca6b)) & this.mask
    while (this.slotChild[slot] !== 0) {
      if (this.slotNode[slot] === node && this.slotUnit[slot] === code) return slot
      slot = (slot + 1) & this.mask
    }
    return slot
  }

  /** The child of a node along a code unit; 0 (the root, never a child) when there is none. */
  private child(node: number, code: number): number {
    return this.slotChild[this.slot(node, code)]
  }

  private add(node: number, code: number, child: number): void {
    const slot = this.slot(node, code)
    this.slotNode[slot] = node
    this.slotUnit[slot] = code
    this.slotChild[slot] = child
  }

  private step(state: number, code: number): number {
    for (;;) {
      const to = this.child(state, code)
      if (to !== 0) return to
      if (state === 0) return 0
      state = this.fail[state]
    }
  }

  /**
   * The merged runs [start, end) of text[0, end) covered by an occurrence of a form; runs that
   * touch are one run.
   */
  runs(text: string, end = text.length): number[] {
    const runs: number[] = []
    let state = 0
    for (let j = 0; j < end; j++) {
      state = this.step(state, text.charCodeAt(j))
      const length = this.longest[state]
      if (length === 0) continue
      // Ends only grow, so a new range can only swallow runs at the top of the stack.
      let start = j + 1 - length
      while (runs.length > 0 && runs[runs.length - 1] >= start) {
        runs.pop()
        start = Math.min(start, runs.pop() as number)
      }
      runs.push(start, j + 1)
    }
    return runs
  }
}

const matchers = new WeakMap<readonly string[], FormMatcher>()

/** The matcher for a list of forms and their blank-run variants, built once per list. */
function matcherFor(forms: readonly string[]): FormMatcher {
  let matcher = matchers.get(forms)
  if (!matcher) {
    const variants = new Set<string>()
    for (const form of forms) {
      variants.add(form)
      // As server text shows it: blank runs made one space, and trimmed, as at a text's edge.
      const collapsed = form.replace(BLANK_RUN, ' ')
      variants.add(collapsed)
      variants.add(collapsed.trim())
    }
    matcher = new FormMatcher(variants)
    matchers.set(forms, matcher)
  }
  return matcher
}

/** The text up to `keep` with each covered run (see FormMatcher.runs) replaced by `***`. */
function replaceRuns(text: string, runs: readonly number[], keep = text.length): string {
  let out = ''
  let at = 0
  for (let i = 0; i < runs.length && runs[i] < keep; i += 2) {
    out += `${text.slice(at, runs[i])}***`
    at = runs[i + 1]
  }
  // Past keep (a run that ends beyond it), the slice is empty.
  return out + text.slice(at, keep)
}

/**
 * Replaces every character that belongs to an occurrence of any form with `***`, one `***` per
 * run of such characters however the occurrences overlap, nest or repeat; linear in the text.
 */
export function redact(text: string, forms: readonly string[]): string {
  const matcher = new FormMatcher(forms)
  return replaceRuns(text, matcher.runs(text))
}

/**
 * True when server text holds any of the forms, compared without regard to case (as serverText
 * matches them, blank runs made one space): for text that is reshaped before it is shown.
 */
export function holdsForm(text: string, forms: readonly string[]): boolean {
  const lower = text.toLowerCase()
  const lowerForms = forms.map((form) => form.toLowerCase())
  return serverText(lower, lowerForms) !== serverText(lower, [])
}

/**
 * The start of a text as server text shows it (blank runs one space, trimmed): at least `limit`
 * characters of it when there are that many, reading no more of the text than it needs.
 */
function blankCollapsed(text: string, limit: number): { text: string; complete: boolean } {
  const parts: string[] = []
  let length = 0
  let at = 0
  BLANK_RUN.lastIndex = 0
  while (at < text.length && length < limit) {
    const run = BLANK_RUN.exec(text)
    const end = run ? run.index : text.length
    if (end > at) {
      if (length > 0) parts.push(' ')
      length += length > 0 ? 1 : 0
      const piece = text.slice(at, Math.min(end, at + limit - length))
      parts.push(piece)
      length += piece.length
      if (piece.length < end - at) return { text: parts.join(''), complete: false }
    }
    if (!run) return { text: parts.join(''), complete: true }
    at = BLANK_RUN.lastIndex
  }
  // A blank run ends where a character that is not blank starts, or at the end of the text.
  return { text: parts.join(''), complete: at >= text.length }
}

/**
 * A server value as printable text without any hidden form (the token, the secret's forms):
 * blank runs (white space, controls, line breaks) become one space and the text is trimmed, and
 * every occurrence of a form, as sent or as these rules show it, is cut out with `***`.
 */
export function serverText(text: string, hidden: readonly string[]): string {
  const { text: shown } = blankCollapsed(text, Infinity)
  return replaceRuns(shown, matcherFor(hidden).runs(shown))
}

/**
 * Server text made safe to quote: cut to what is shown before anything else, secrets removed
 * (see serverText), one line, at most MAX_QUOTE characters and an ellipsis.
 */
export function quote(text: string, secrets: readonly string[] = []): string {
  const matcher = matcherFor(secrets)
  // Only the shown start is read, plus one form's length: a form that starts in the shown part
  // ends inside what is read, so its every character is found. What lies past the shown part
  // is dropped after redaction, never before, so no edge of a form can be left standing.
  const margin = Math.max(matcher.maxLength - 1, 0)
  // Redaction can shorten what is read (a long form becomes ***): then read twice as much, so
  // the work stays linear in what is read, however often that happens.
  for (let limit = MAX_QUOTE + 1; ; limit *= 2) {
    const { text: shown, complete } = blankCollapsed(text, limit + margin)
    const keep = complete ? shown.length : shown.length - margin
    const redacted = oneLine(replaceRuns(shown, matcher.runs(shown), keep))
    if (redacted.length > MAX_QUOTE) return `${redacted.slice(0, MAX_QUOTE)}…`
    if (complete) return redacted
    // Not read to its end, yet no more than MAX_QUOTE left: redaction shrank it, read on.
  }
}

/** True when a raw input holds a control character (after trimming, so none is expected). */
export function hasControlCharacter(text: string): boolean {
  return new RegExp(UNPRINTABLE.source).test(text)
}
