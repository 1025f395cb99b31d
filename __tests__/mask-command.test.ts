/** breaksMaskCommand: the values act would print instead of masking. */
import { describe, expect, it } from '@jest/globals'
import { breaksMaskCommand, unmaskableReason } from '../src/mask-command.js'
import { parseWorkflowCommand } from '../scripts/lib/runner.js'

describe('breaksMaskCommand', () => {
  it.each([
    ['abc', false],
    ['a:b', false],
    ['abc:', false],
    ['a:b:c', false],
    ['', false],
    ['a::b', true],
    ['ab::', true],
    ['::', true],
    [':ab', true],
    [':', true]
  ])('%j: %j', (value, breaks) => {
    expect(breaksMaskCommand(value)).toBe(breaks)
  })

  it.each(['abc', 'a:b', 'abc:', 'a:b:c', 'a::b', ':ab', 'ab::', 'x y::z'])(
    '%j: as act parses ::add-mask::, true exactly when act reads another command',
    (value) => {
      const command = parseWorkflowCommand(`::add-mask::${value}`, 'act')
      const masked = command?.command === 'add-mask' && command.data === value
      expect(breaksMaskCommand(value)).toBe(!masked)
    }
  )
})

describe('unmaskableReason', () => {
  it('names the value and says what act does', () => {
    expect(unmaskableReason('app-secret')).toBe(
      'app-secret holds "::" or starts with ":", which act-based runners cannot mask: they read ' +
        'the mask command as another command and print it, value and all'
    )
  })
})
