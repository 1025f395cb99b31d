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
    [':', true],
    // act may undo the escaped %250A into a line break, masking another value.
    ['a%0Ab', true],
    ['a%0Db', true],
    ['a%0ab', false],
    ['a%250Ab', false],
    ['a%25b', false],
    ['a\nb', false]
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
    expect(unmaskableReason('its password')).toBe(
      'its password holds "::", "%0A" or "%0D", or starts with ":", which act-based runners ' +
        'cannot mask: they would print it, or mask another value'
    )
  })
})
