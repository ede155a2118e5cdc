import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import {
  apocPomPath,
  artifactsHash,
  gdsPomPath,
  pluginJars,
  pluginOnlyJars,
  serverPomPath
} from '../../../src/neo4j-local/maven.js'
import { findProjectRoot } from '../../../src/neo4j-local/runner.js'
import { GDS_VERSION, NEO4J_VERSION } from '../../../src/neo4j-local/version.js'

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

  it('the gds pom pins GDS_VERSION once, for every module it lists', () => {
    const pom = readFileSync(gdsPomPath(root), 'utf8')
    expect(pom).toContain(`<gds.version>${GDS_VERSION}</gds.version>`)
    expect(pom.split(GDS_VERSION)).toHaveLength(2)
    const deps = [...pom.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((m) => m[1] as string)
    const artifacts = deps.map((dep) => /<artifactId>(.*?)<\/artifactId>/.exec(dep)?.[1])
    expect(artifacts.sort()).toEqual([
      'open-model-catalog',
      'open-write-services',
      'opengds-extension',
      'proc',
      'proc-sysinfo'
    ])
    for (const dep of deps) {
      expect(dep).toContain('<groupId>org.neo4j.gds</groupId>')
      expect(dep).toContain('<version>${gds.version}</version>')
    }
  })
})

describe('pluginOnlyJars', () => {
  it('keeps only the plugin jars the server does not ship', () => {
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

describe('pluginJars', () => {
  const server = ['org.neo4j.neo4j-kernel.jar', 'org.apache.commons.commons-lang3.jar']
  const apoc = [
    'org.neo4j.procedure.apoc-core.jar',
    'org.apache.commons.commons-lang3.jar',
    'org.hdrhistogram.HdrHistogram.jar'
  ]
  const gds = [
    'org.neo4j.gds.proc.jar',
    'org.apache.commons.commons-lang3.jar',
    'org.hdrhistogram.HdrHistogram.jar',
    'com.carrotsearch.hppc.jar'
  ]

  it('leaves out of both plugins what the server ships', () => {
    const { apoc: a, gds: g } = pluginJars(server, apoc, gds)
    expect([...a, ...g]).not.toContain('org.apache.commons.commons-lang3.jar')
  })

  it('installs a library both plugins need once, from GDS', () => {
    expect(pluginJars(server, apoc, gds)).toEqual({
      apoc: ['org.neo4j.procedure.apoc-core.jar'],
      gds: ['com.carrotsearch.hppc.jar', 'org.hdrhistogram.HdrHistogram.jar', 'org.neo4j.gds.proc.jar']
    })
  })

  it('gives APOC its own jars when GDS shares none', () => {
    expect(pluginJars(server, apoc, ['org.neo4j.gds.proc.jar']).apoc).toEqual([
      'org.hdrhistogram.HdrHistogram.jar',
      'org.neo4j.procedure.apoc-core.jar'
    ])
  })
})

describe('artifactsHash', () => {
  it('changes when any pom changes', () => {
    const base = artifactsHash('<server/>', '<apoc/>', '<gds/>')
    expect(artifactsHash('<server/>', '<apoc/>', '<gds/>')).toBe(base)
    expect(artifactsHash('<server2/>', '<apoc/>', '<gds/>')).not.toBe(base)
    expect(artifactsHash('<server/>', '<apoc2/>', '<gds/>')).not.toBe(base)
    expect(artifactsHash('<server/>', '<apoc/>', '<gds2/>')).not.toBe(base)
  })

  it('tells apart the same text split differently between the poms', () => {
    const base = artifactsHash('<server/>', '<apoc/>', '<gds/>')
    expect(artifactsHash('<server/><apoc/>', '', '<gds/>')).not.toBe(base)
    expect(artifactsHash('<server/>', '<apoc/><gds/>', '')).not.toBe(base)
  })
})
