/**
 * What the runners' mask command can carry. act reads a command's name up to the last `::` of its
 * line, so `::add-mask::<value>` with a `::` in the value, or a value starting with `:`, is an
 * unknown command there, which act prints as it stands: the value in clear. act also undoes the
 * command's escapes (%25, %0D, %0A) in no fixed order, so a value holding the text `%0A` or `%0D`
 * may be registered as another value and left unmasked. actions/runner masks all of these, but
 * the action cannot tell every act-based runner apart (a fork can leave out ACT=true), so such
 * values are refused, or left unread, everywhere.
 */

/** Whether act would not mask `value`: it would print the line, or mask another value. */
export function breaksMaskCommand(value: string): boolean {
  return `:${value}`.includes('::') || /%0[AD]/.test(value)
}

/** Why a value the action must mask is refused: `what` names it, e.g. "its password". */
export function unmaskableReason(what: string): string {
  return (
    `${what} holds "::", "%0A" or "%0D", or starts with ":", which act-based runners cannot ` +
    'mask: they would print it, or mask another value'
  )
}
