import { describe, expect, it } from '@jest/globals'
import { invalidScope, missingScopes, parseScopes } from '../src/scopes.js'

describe('parseScopes', () => {
  it.each([
    ['', []],
    ['all', ['all']],
    ['read:a write:a', ['read:a', 'write:a']],
    ['read:a,write:a', ['read:a', 'write:a']],
    ['read:a, write:a', ['read:a', 'write:a']],
    ['read:a\nwrite:a\n', ['read:a', 'write:a']],
    ['  read:a \t\r\n write:a ,, read:a ', ['read:a', 'write:a']],
    ['b a b a', ['b', 'a']]
  ])('%j → %j', (raw, expected) => {
    expect(parseScopes(raw)).toEqual(expected)
  })
})

describe('invalidScope', () => {
  it.each([
    [['read:a', 'urn:x:y', '!#$%&()*+-./:;<=>?@[]^_`{|}~'], undefined],
    [['ok', 'bad"'], 'bad"'],
    [['"bad', 'ok'], '"bad'],
    [['a"b'], 'a"b'],
    [['bad\\'], 'bad\\'],
    [['\\bad'], '\\bad'],
    [['a\x7fb'], 'a\x7fb'],
    [['a\x00'], 'a\x00'],
    [['ünï'], 'ünï'],
    [['!'], undefined],
    [['~'], undefined],
    [['#'], undefined],
    [['['], undefined],
    [[']'], undefined]
  ])('%j → %j', (scopes, expected) => {
    expect(invalidScope(scopes)).toBe(expected)
  })
})

describe('missingScopes', () => {
  it.each([
    [['all'], 'all', []],
    [['a', 'b'], 'b a', []],
    [['a', 'b'], 'a', ['b']],
    [['a', 'b'], '', ['a', 'b']],
    [['a', 'b'], undefined, ['a', 'b']],
    // Whatever their names, requested scopes are missing when the answer grants none.
    [['was', 'here!'], undefined, ['was', 'here!']],
    [[], undefined, []],
    [['a'], 'a  c', []]
  ])('requested %j, granted %j → missing %j', (requested, granted, expected) => {
    expect(missingScopes(requested, granted)).toEqual(expected)
  })
})
