import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { apocPomPath, artifactsHash, pluginOnlyJars, serverPomPath } from '../../../src/neo4j-local/maven.js'
import { findProjectRoot } from '../../../src/neo4j-local/runner.js'
import { NEO4J_VERSION } from '../../../src/neo4j-local/version.js'

const root = findProjectRoot()

describe('the poms', () => {
  it.each([
    ['server', serverPomPath(root)],
    ['apoc', apocPomPath(root)]
  ])('the %s pom pins NEO4J_VERSION once, as a property', (_name, path) => {
    const pom = readFileSync(path, 'utf8')
    expect(pom).toContain(`<neo4j.version>${NEO4J_VERSION}</neo4j.version>`)
    expect(pom.split(NEO4J_VERSION)).toHaveLength(2)
  })
})

describe('pluginOnlyJars', () => {
  it('keeps only the APOC jars the server does not ship', () => {
    const server = ['org.neo4j.neo4j-kernel.jar', 'org.apache.commons.commons-lang3.jar']
    const apoc = [
      'org.neo4j.procedure.apoc-core.jar',
      'org.apache.commons.commons-lang3.jar',
      'net.minidev.json-smart.jar',
      'README.txt'
    ]
    expect(pluginOnlyJars(apoc, server)).toEqual([
      'net.minidev.json-smart.jar',
      'org.neo4j.procedure.apoc-core.jar'
    ])
  })
})

describe('artifactsHash', () => {
  it('changes when either pom changes', () => {
    const base = artifactsHash('<server/>', '<apoc/>')
    expect(artifactsHash('<server/>', '<apoc/>')).toBe(base)
    expect(artifactsHash('<server2/>', '<apoc/>')).not.toBe(base)
    expect(artifactsHash('<server/>', '<apoc2/>')).not.toBe(base)
    expect(artifactsHash('<server/><apoc/>', '')).not.toBe(base)
  })
})
