import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkMaven } from '../../../src/neo4j-local/java.js'
import {
  apocPomPath,
  artifactsHash,
  ensureArtifacts,
  gdsPomPath,
  serverPomPath
} from '../../../src/neo4j-local/maven.js'
import { findProjectRoot } from '../../../src/neo4j-local/runner.js'

// Maven stands in for the network: a cache that is complete must never reach it.
vi.mock('../../../src/neo4j-local/java.js', () => ({
  checkJava: vi.fn(async () => ({ bin: 'java', major: 17 })),
  checkMaven: vi.fn(async () => {
    throw new Error('Maven was asked for')
  })
}))

const projectRoot = findProjectRoot()
const pom = (path: string): string => readFileSync(path, 'utf8')
const currentHash = (): string =>
  artifactsHash(pom(serverPomPath(projectRoot)), pom(apocPomPath(projectRoot)), pom(gdsPomPath(projectRoot)))

describe('ensureArtifacts', () => {
  let cacheDir: string

  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'cinegraph-artifacts-'))
    vi.mocked(checkMaven).mockClear()
  })

  afterEach(() => {
    rmSync(cacheDir, { recursive: true, force: true })
  })

  const fill = (dirs: string[], hash: string): void => {
    for (const dir of dirs) mkdirSync(join(cacheDir, dir))
    writeFileSync(join(cacheDir, 'artifacts.sha256'), `${hash}\n`)
  }
  const ensure = (): ReturnType<typeof ensureArtifacts> =>
    ensureArtifacts({ projectRoot, cacheDir, log: () => undefined })

  it('uses a complete cache without calling Maven, and names the GDS jars beside the APOC ones', async () => {
    fill(['lib', 'apoc', 'gds'], currentHash())
    const artifacts = await ensure()
    expect(artifacts).toMatchObject({
      libDir: join(cacheDir, 'lib'),
      apocDir: join(cacheDir, 'apoc'),
      gdsDir: join(cacheDir, 'gds')
    })
    expect(checkMaven).not.toHaveBeenCalled()
  })

  it('resolves again when the GDS jars are missing', async () => {
    fill(['lib', 'apoc'], currentHash())
    await expect(ensure()).rejects.toThrow('Maven was asked for')
  })

  it('resolves again a cache made from the server and APOC poms alone', async () => {
    const withoutGds = artifactsHash(pom(serverPomPath(projectRoot)), pom(apocPomPath(projectRoot)), '')
    fill(['lib', 'apoc', 'gds'], withoutGds)
    await expect(ensure()).rejects.toThrow('Maven was asked for')
  })
})
