#!/usr/bin/env node
/**
 * Keeps the inputs and outputs tables in README.md in step with action.yml.
 *
 * The tables live between the markers
 *   <!-- inputs:start --> ... <!-- inputs:end -->
 *   <!-- outputs:start --> ... <!-- outputs:end -->
 * and are generated from action.yml, then formatted with the repository's Prettier settings, so
 * `prettier --check README.md` agrees with what this script writes.
 *
 * Usage: node scripts/readme-tables.js [--check | --write] [--readme PATH] [--action PATH]
 *   --check  (default) exit 1 and name every difference when README.md is out of date
 *   --write  rewrite the marked blocks; creates a placeholder README.md when there is none
 * Exit status: 0 up to date (or written), 1 drift, 2 usage or input error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TITLE = '# Logto M2M token action'

/** @typedef {{ name: string, cells: string[] }} Row */
/** @typedef {{ id: 'inputs' | 'outputs', headers: string[], rows: Row[] }} Table */

class UsageError extends Error {}

/**
 * @param {string[]} argv
 * @returns {{ mode: 'check' | 'write', readme: string, action: string }}
 */
function parseArgs(argv) {
  /** @type {'check' | 'write'} */
  let mode = 'check'
  let readme = path.join(repoRoot, 'README.md')
  let action = path.join(repoRoot, 'action.yml')
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--check') mode = 'check'
    else if (arg === '--write') mode = 'write'
    else if (arg === '--readme' || arg === '--action') {
      const value = argv[++i]
      if (!value) throw new UsageError(`${arg} needs a path`)
      if (arg === '--readme') readme = path.resolve(value)
      else action = path.resolve(value)
    } else throw new UsageError(`unknown argument: ${arg}`)
  }
  return { mode, readme, action }
}

/**
 * A YAML scalar as text; anything else (which the schema check reports) as empty, not as
 * `[object Object]`.
 * @param {unknown} value
 */
function scalarText(value) {
  if (typeof value === 'string') return value
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''
}

/**
 * Text for one table cell: one line, pipes escaped.
 * @param {string} text
 */
function cellText(text) {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')
}

/** @param {string} text */
function code(text) {
  return text === '' ? "`''`" : `\`${text}\``
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isMap(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * @param {string} actionPath
 * @returns {Table[]}
 */
function tablesFromAction(actionPath) {
  if (!existsSync(actionPath)) throw new UsageError(`${actionPath}: file not found`)
  const action = parse(readFileSync(actionPath, 'utf8'))
  if (!isMap(action)) throw new UsageError(`${actionPath}: not a mapping`)
  const inputs = isMap(action.inputs) ? action.inputs : {}
  const outputs = isMap(action.outputs) ? action.outputs : {}

  /** @type {Row[]} */
  const inputRows = Object.entries(inputs).map(([name, spec]) => {
    const s = isMap(spec) ? spec : {}
    const hasDefault = s.default !== undefined && s.default !== null
    return {
      name,
      cells: [
        code(name),
        hasDefault ? code(cellText(String(s.default))) : '',
        s.required === true ? 'yes' : 'no',
        cellText(scalarText(s.description))
      ]
    }
  })
  /** @type {Row[]} */
  const outputRows = Object.entries(outputs).map(([name, spec]) => ({
    name,
    cells: [code(name), cellText(scalarText(isMap(spec) ? spec.description : undefined))]
  }))
  return [
    { id: 'inputs', headers: ['Name', 'Default', 'Required', 'Description'], rows: inputRows },
    { id: 'outputs', headers: ['Name', 'Description'], rows: outputRows }
  ]
}

/** @returns {Promise<prettier.Options>} */
async function prettierOptions() {
  const config = (await prettier.resolveConfig(path.join(repoRoot, 'README.md'))) ?? {}
  return { ...config, parser: 'markdown' }
}

/**
 * The table as Markdown, formatted the way Prettier formats it inside README.md.
 * @param {Table} table
 * @param {prettier.Options} options
 */
async function renderTable(table, options) {
  /** @param {string[]} cells */
  const line = (cells) => `| ${cells.join(' | ')} |`
  const markdown = [
    line(table.headers),
    line(table.headers.map(() => '---')),
    ...table.rows.map((row) => line(row.cells))
  ].join('\n')
  return (await prettier.format(markdown, options)).trimEnd()
}

/** @param {Table['id']} id */
const markers = (id) => ({ start: `<!-- ${id}:start -->`, end: `<!-- ${id}:end -->` })

/**
 * The block between the markers of `id`, or a description of what is wrong with the markers.
 * @param {string} readme
 * @param {Table['id']} id
 * @returns {{ from: number, to: number, body: string } | { problem: string }}
 */
function findBlock(readme, id) {
  const { start, end } = markers(id)
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from === -1 || to === -1) {
    const missing = [from === -1 ? start : '', to === -1 ? end : ''].filter(Boolean).join(' and ')
    return { problem: `README has no ${missing}` }
  }
  if (readme.indexOf(start, from + 1) !== -1 || readme.indexOf(end, to + 1) !== -1) {
    return { problem: `README has more than one ${start} / ${end} pair` }
  }
  if (to < from) return { problem: `README has ${end} before ${start}` }
  const bodyFrom = from + start.length
  return { from: bodyFrom, to, body: readme.slice(bodyFrom, to) }
}

/** @param {string} table */
const blockBody = (table) => `\n\n${table}\n\n`

/**
 * Splits a Markdown table row into cell texts (escaped pipes stay inside their cell).
 * @param {string} line
 */
function splitRow(line) {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim())
}

/**
 * Rows of the first table in a block, keyed by their first cell without backticks.
 * @param {string} body
 * @returns {Map<string, string[]>}
 */
function parseRows(body) {
  const lines = body.split('\n').filter((l) => l.trim().startsWith('|'))
  /** @type {Map<string, string[]>} */
  const rows = new Map()
  for (const line of lines.slice(2)) {
    const cells = splitRow(line)
    rows.set(cells[0].replace(/^`|`$/g, ''), cells)
  }
  return rows
}

/**
 * Names what differs between the README block and the generated table.
 * @param {Table} table
 * @param {string} actual the block body in README.md
 * @param {string} expected the generated table
 * @returns {string[]}
 */
function describeDrift(table, actual, expected) {
  const have = parseRows(actual)
  const want = parseRows(expected)
  /** @type {string[]} */
  const problems = []
  const singular = table.id === 'inputs' ? 'input' : 'output'
  for (const [name, cells] of want) {
    const row = have.get(name)
    if (!row) {
      problems.push(`${singular} ${name} is in action.yml but missing from the README table`)
      continue
    }
    table.headers.forEach((header, i) => {
      if (i > 0 && (row[i] ?? '') !== cells[i]) {
        const shown = (/** @type {string} */ s) => (s === '' ? '(empty)' : s)
        problems.push(
          `${singular} ${name}: ${header.toLowerCase()} is ${shown(row[i] ?? '')} in the README,` +
            ` ${shown(cells[i])} in action.yml`
        )
      }
    })
  }
  for (const name of have.keys()) {
    if (!want.has(name)) {
      problems.push(`${singular} ${name} is in the README table but not in action.yml`)
    }
  }
  const order = (/** @type {Map<string, string[]>} */ m) => [...m.keys()].join(',')
  if (problems.length === 0 && order(have) !== order(want)) {
    problems.push(`${table.id} are not in the order of action.yml`)
  }
  if (problems.length === 0) problems.push(`${table.id} table formatting differs`)
  return problems
}

/**
 * @param {string[]} argv
 * @returns {Promise<number>}
 */
async function main(argv) {
  const { mode, readme: readmePath, action: actionPath } = parseArgs(argv)
  const tables = tablesFromAction(actionPath)
  const options = await prettierOptions()
  /** @type {Map<Table['id'], string>} */
  const rendered = new Map()
  for (const table of tables) rendered.set(table.id, await renderTable(table, options))

  if (!existsSync(readmePath)) {
    if (mode === 'check') {
      console.error(`${readmePath}: file not found (create it with --write)`)
      return 1
    }
    const blocks = tables.map((t) => {
      const { start, end } = markers(t.id)
      return `${start}${blockBody(rendered.get(t.id) ?? '')}${end}`
    })
    writeFileSync(readmePath, `${TITLE}\n\n${blocks.join('\n\n')}\n`)
    console.log(`created ${readmePath} with the inputs and outputs tables`)
    return 0
  }

  let readme = readFileSync(readmePath, 'utf8')
  /** @type {string[]} */
  const problems = []
  for (const table of tables) {
    const expected = rendered.get(table.id) ?? ''
    const block = findBlock(readme, table.id)
    if ('problem' in block) {
      problems.push(block.problem)
      continue
    }
    if (block.body.replace(/\r\n/g, '\n').trim() === expected) continue
    if (mode === 'write') {
      readme = readme.slice(0, block.from) + blockBody(expected) + readme.slice(block.to)
    } else {
      problems.push(...describeDrift(table, block.body.replace(/\r\n/g, '\n'), expected))
    }
  }

  if (problems.length > 0) {
    const shown = path.relative(process.cwd(), readmePath) || readmePath
    console.error(`${shown} does not match ${path.relative(process.cwd(), actionPath)}:`)
    for (const problem of problems) console.error(`  - ${problem}`)
    if (mode === 'check') console.error('Run: node scripts/readme-tables.js --write')
    return 1
  }
  if (mode === 'write') {
    writeFileSync(readmePath, readme)
    console.log(`${readmePath}: tables up to date`)
  } else {
    console.log('README tables match action.yml')
  }
  return 0
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof UsageError)) throw error
  console.error(error.message)
  process.exitCode = 2
}
