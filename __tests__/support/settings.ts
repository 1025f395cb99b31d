/** Parsing inputs in tests: a record of `with:` values in, settings or the InputError out. */
import { expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { parseSettings, type Settings } from '../../src/settings.js'

/** Settings from `with:` values; unset inputs read as empty, as the runner passes them. */
export function parse(inputs: Record<string, string>): Settings {
  return parseSettings((name) => inputs[name] ?? '')
}

/** The InputError that parsing `inputs` throws; fails the test when it throws none or another. */
export function inputFailure(inputs: Record<string, string>): InputError {
  try {
    parse(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}
