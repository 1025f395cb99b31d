/**
 * The build stand-ins (tsconfig `paths`: undici, @actions/exec, @actions/http-client) must provide
 * every name that the real @actions/core and @actions/http-client import from them: ncc bundles
 * the stand-in without a word when a dependency update starts importing a new name, and that
 * name would then be unbound in dist/index.js.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const root = process.cwd()
/** Packages bundled into dist/index.js whose imports the stand-ins replace. */
const importers = ['node_modules/@actions/core/lib', 'node_modules/@actions/http-client/lib']

/** One name a bundled file takes from a replaced module. */
interface Use {
  file: string
  specifier: string
  /** The imported name; `*` when the file uses the whole module in a way not named here. */
  name: string
}

/** Specifier → stand-in file, as tsconfig.json `paths` maps them for the build. */
function standIns(): Map<string, string> {
  const config = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> }
  }
  return new Map(
    Object.entries(config.compilerOptions.paths).map(([specifier, [file]]) => [
      specifier,
      path.join(root, file)
    ])
  )
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

/** Every name `text` imports, re-exports, requires or dynamically imports from `specifiers`. */
function usesIn(file: string, text: string, specifiers: ReadonlySet<string>): Use[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const uses: Use[] = []
  const add = (specifier: string, name: string): void => {
    uses.push({ file: path.relative(root, file), specifier, name })
  }
  const namespaces = new Map<string, string>()
  const handled = new Set<ts.Node>()

  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      specifiers.has(statement.moduleSpecifier.text)
    ) {
      const specifier = statement.moduleSpecifier.text
      handled.add(statement.moduleSpecifier)
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause
        if (!clause) continue
        if (clause.name) add(specifier, 'default')
        const bindings = clause.namedBindings
        if (bindings && ts.isNamespaceImport(bindings)) {
          namespaces.set(bindings.name.text, specifier)
        } else if (bindings) {
          for (const element of bindings.elements) {
            add(specifier, (element.propertyName ?? element.name).text)
          }
        }
      } else if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          add(specifier, (element.propertyName ?? element.name).text)
        }
      } else {
        add(specifier, '*')
      }
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) && specifiers.has(node.text) && !handled.has(node)) {
      // require('undici'), import('undici') or anything else this scan cannot name.
      add(node.text, '*')
    }
    if (ts.isIdentifier(node) && namespaces.has(node.text)) {
      const specifier = namespaces.get(node.text) as string
      const parent = node.parent
      const isName =
        (ts.isPropertyAccessExpression(parent) ||
          ts.isPropertyAssignment(parent) ||
          ts.isMethodDeclaration(parent) ||
          ts.isPropertyDeclaration(parent)) &&
        parent.name === node
      if (ts.isNamespaceImport(parent) || isName) {
        // the binding itself, or a property that happens to share its name
      } else if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        add(specifier, parent.name.text)
      } else {
        add(specifier, '*')
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return uses
}

/** The uses a stand-in does not satisfy, as `file: specifier.name` lines. */
function unprovided(uses: readonly Use[], exported: ReadonlyMap<string, readonly string[]>) {
  return uses
    .filter((use) => !(exported.get(use.specifier) ?? []).includes(use.name))
    .map((use) => `${use.file}: ${use.specifier}.${use.name}`)
    .filter((line, index, lines) => lines.indexOf(line) === index)
}

async function standInExports(): Promise<Map<string, string[]>> {
  const exported = new Map<string, string[]>()
  for (const [specifier, file] of standIns()) {
    const module = (await import(file)) as Record<string, unknown>
    exported.set(specifier, Object.keys(module))
  }
  return exported
}

function realUses(): Use[] {
  const specifiers = new Set(standIns().keys())
  return importers
    .flatMap((dir) => jsFiles(path.join(root, dir)))
    .flatMap((file) => usesIn(file, readFileSync(file, 'utf8'), specifiers))
}

describe('build stand-ins', () => {
  it('provide every name the bundled packages import from the modules they replace', async () => {
    const uses = realUses()
    // The scan finds something for every stand-in, so an empty result cannot pass for a clean one.
    expect(new Set(uses.map((use) => use.specifier))).toEqual(new Set(standIns().keys()))
    expect(unprovided(uses, await standInExports())).toEqual([])
  })

  it('the scan names imported, namespace and re-exported names, and flags what it cannot name', () => {
    const specifiers = new Set(['undici', '@actions/exec'])
    const text = [
      "import { ProxyAgent, Agent as A } from 'undici'",
      "import * as exec from '@actions/exec'",
      "export { fetch } from 'undici'",
      'exec.getExecOutput(); exec.exec()',
      'const e = exec',
      "require('undici')",
      "import { HttpClient } from '@actions/http-client'"
    ].join('\n')
    const names = usesIn(path.join(root, 'x.js'), text, specifiers).map(
      (use) => `${use.specifier}.${use.name}`
    )
    expect(names.sort()).toEqual(
      [
        'undici.ProxyAgent',
        'undici.Agent',
        'undici.fetch',
        '@actions/exec.getExecOutput',
        '@actions/exec.exec',
        '@actions/exec.*',
        'undici.*'
      ].sort()
    )
    const provided = new Map([
      ['undici', ['ProxyAgent']],
      ['@actions/exec', ['getExecOutput']]
    ])
    expect(unprovided(usesIn(path.join(root, 'x.js'), text, specifiers), provided)).toEqual([
      'x.js: undici.Agent',
      'x.js: undici.fetch',
      'x.js: @actions/exec.exec',
      'x.js: @actions/exec.*',
      'x.js: undici.*'
    ])
  })
})
