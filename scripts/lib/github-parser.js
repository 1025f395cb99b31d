/**
 * action.yml and workflow files checked by @actions/workflow-parser, the parser and schema behind
 * GitHub's own Actions language services, so the check knows what GitHub knows (node24 included).
 */
import { register } from 'node:module'

// The package imports its JSON schemas without an import attribute, which Node refuses; the hook
// adds it for that package only. Registered before the dynamic imports below so it applies to them.
// module.registerHooks() would be the modern way, but Node 20 (still used for development) lacks it.
// eslint-disable-next-line @typescript-eslint/no-deprecated
register('./json-import-hooks.js', import.meta.url)

const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } =
  await import('@actions/workflow-parser')
const { parseAction } = await import('@actions/workflow-parser/actions/index')

const trace = new NoOperationTraceWriter()

/**
 * @param {import('@actions/workflow-parser').TemplateParseResult} result
 * @returns {string[]} the parser's messages; each names the file, line and column
 */
function messages(result) {
  return result.context.errors.getErrors().map((error) => error.message.trimEnd())
}

/**
 * Problems GitHub's parser finds in action metadata (action.yml); empty when it is valid.
 * @param {string} name the file name shown in messages
 * @param {string} content
 * @returns {string[]}
 */
export function checkAction(name, content) {
  return messages(parseAction({ name, content }, trace))
}

/**
 * Problems GitHub's parser finds in a workflow; empty when it is valid.
 * @param {string} name the file name shown in messages
 * @param {string} content
 * @returns {Promise<string[]>}
 */
export async function checkWorkflow(name, content) {
  const result = parseWorkflow({ name, content }, trace)
  // Conversion adds the checks across jobs (needs, cycles, cron); TryConversion keeps going after
  // the first error so that one run reports them all.
  if (result.value) {
    // ErrorPolicy.TryConversion; the enum is not exported from the package's entry point.
    /** @type {Parameters<typeof convertWorkflowTemplate>[3]} */
    const options = JSON.parse('{ "errorPolicy": 1 }')
    await convertWorkflowTemplate(result.context, result.value, undefined, options)
  }
  return messages(result)
}
