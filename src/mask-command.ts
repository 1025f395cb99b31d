/**
 * What the runners' mask command can carry. act reads a command's name up to the last `::` of its
 * line, so `::add-mask::<value>` with a `::` in the value, or a value starting with `:`, is an
 * unknown command there, which act prints as it stands: the value in clear. actions/runner reads
 * such a line as a mask, but the action cannot tell every act-based runner apart (a fork can
 * leave out ACT=true), so such values are refused, or left unread, everywhere.
 */

/** Whether `::add-mask::` followed by `value` would be read as another command by act. */
export function breaksMaskCommand(value: string): boolean {
  return `:${value}`.includes('::')
}

/** Why a value the action must mask is refused: `what` names it, e.g. "app-secret". */
export function unmaskableReason(what: string): string {
  return (
    `${what} holds "::" or starts with ":", which act-based runners cannot mask: they read ` +
    'the mask command as another command and print it, value and all'
  )
}
