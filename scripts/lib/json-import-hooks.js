/**
 * Module loader hooks, registered by scripts/lib/workflow-parser.js: @actions/workflow-parser
 * imports its JSON schemas without `with { type: 'json' }`, which Node refuses; this supplies the
 * attribute for JSON files inside that package only, so nothing else changes how it loads.
 */

const PACKAGE = '/node_modules/@actions/workflow-parser/'

/**
 * Adds the JSON import attribute the package leaves out.
 * @param {string} url
 * @param {{ format?: string | null, importAttributes?: Record<string, string> }} context
 * @param {(url: string, context?: object) => Promise<object>} nextLoad
 */
export async function load(url, context, nextLoad) {
  const path = url.replaceAll('\\', '/')
  if (path.startsWith('file:') && path.includes(PACKAGE) && path.endsWith('.json')) {
    return nextLoad(url, {
      ...context,
      importAttributes: { ...context.importAttributes, type: 'json' }
    })
  }
  return nextLoad(url, context)
}
