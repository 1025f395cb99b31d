/** Pure helpers that make text from a server or an input safe to print on one log line. */

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
// overrides: the runner splits lines on some of these and a reader's eye is fooled by the rest.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g
// Workflow commands start with `::` (and, in the older form, `##[`): a space goes after each colon
// followed by a colon, and after a `#` that starts `##[`, so neither can appear.
const COMMAND_MARKERS = /:(?=:)|#(?=#\[)/g

/** The longest server text quoted in a message. */
export const MAX_QUOTE = 200

/** The text with every control character (and line break) turned into a space, trimmed. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, ' ').trim()
}

/** One log line: printable, and with workflow command markers broken up. */
export function oneLine(text: string): string {
  return printable(text).replace(COMMAND_MARKERS, '$& ')
}

/** Replaces every known form of a secret with `***`, longest first so no fragment is left. */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = [...new Set(secrets.filter((s) => s.length > 0))].sort(
    (a, b) => b.length - a.length
  )
  let out = text
  for (const form of forms) out = out.split(form).join('***')
  return out
}

/** Server text made safe to quote: secrets removed first, then one line, then cut to length. */
export function quote(text: string, secrets: readonly string[] = []): string {
  const line = oneLine(redact(text, secrets))
  return line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE)}…` : line
}

/** True when a raw input holds a control character (after trimming, so none is expected). */
export function hasControlCharacter(text: string): boolean {
  return new RegExp(UNPRINTABLE.source).test(text)
}
