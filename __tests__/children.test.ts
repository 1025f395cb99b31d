/** The list of running children: a child leaves it when it ends, however it ends. */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runningChildren, trackChild } from '../src/children.js'

describe('the running children', () => {
  it('lose a child that exits', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    trackChild(child)
    expect(runningChildren()).toBe(1)
    await new Promise((resolve) => child.once('exit', resolve))
    expect(runningChildren()).toBe(0)
  })

  it('lose a child that never starts (its error comes without an exit)', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'children-')), 'missing')
    const child = spawn(missing, [], { stdio: 'ignore' })
    trackChild(child)
    expect(runningChildren()).toBe(1)
    await new Promise((resolve) => child.once('error', resolve))
    expect(runningChildren()).toBe(0)
  })
})
