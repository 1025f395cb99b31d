/** Pure helpers that make text from a server or an input safe to print on one log line. */

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
// overrides: the runner splits lines on some of these and a reader's eye is fooled by the rest.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g
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

/** Replaces every known form of a secret with `***`, longest first so no fragment is left. */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = [...new Set(secrets.filter((s) => s.length > 0))].sort(
    (a, b) => b.length - a.length
  )
  let out = text
  for (const form of forms) out = out.split(form).join('***')
  return out
}

/**
 * A server value as printable text without any hidden form (the token, the secret's forms): each
 * is cut out before control characters become spaces, so a line break inside one cannot hide it,
 * and again after, with runs of whitespace made one space, so the spaces cannot complete one.
 */
export function serverText(text: string, hidden: readonly string[]): string {
  return redact(printable(redact(text, hidden)).replace(/\s+/g, ' '), hidden)
}

/** Server text made safe to quote: secrets removed first, then one line, then cut to length. */
export function quote(text: string, secrets: readonly string[] = []): string {
  const line = oneLine(serverText(text, secrets))
  return line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE)}…` : line
}

/** True when a raw input holds a control character (after trimming, so none is expected). */
export function hasControlCharacter(text: string): boolean {
  return new RegExp(UNPRINTABLE.source).test(text)
}
