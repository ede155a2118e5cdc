import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GDS_VERSION, NEO4J_VERSION } from '../../src/neo4j-local/version.js'
import { PROJECT_ROOT } from '../../src/project-root.js'
import { TESTCONTAINERS_IMAGE } from '../global-setup.js'

describe('one Neo4j version on every path', () => {
  it('is a 5.26 LTS release', () => {
    expect(NEO4J_VERSION).toMatch(/^5\.26\.\d+$/)
  })

  it('is the image docker-compose runs', async () => {
    const compose = await readFile(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')
    const images = [...compose.matchAll(/image:\s*neo4j:(\S+)/g)].map((m) => m[1])
    expect(images).toEqual([`${NEO4J_VERSION}-community`])
  })

  it('is the image testcontainers starts', () => {
    expect(TESTCONTAINERS_IMAGE).toBe(`neo4j:${NEO4J_VERSION}-community`)
  })

  it('is the server and APOC version the local runner resolves', async () => {
    for (const pom of ['server', 'apoc']) {
      const text = await readFile(join(PROJECT_ROOT, 'neo4j-local', pom, 'pom.xml'), 'utf8')
      expect(text).toContain(`<neo4j.version>${NEO4J_VERSION}</neo4j.version>`)
    }
  })

  it('is paired with a GDS release of the 2.13 line, the one the local runner resolves', async () => {
    expect(GDS_VERSION).toMatch(/^2\.13\.\d+$/)
    const text = await readFile(join(PROJECT_ROOT, 'neo4j-local', 'gds', 'pom.xml'), 'utf8')
    expect(text).toContain(`<gds.version>${GDS_VERSION}</gds.version>`)
  })
})
