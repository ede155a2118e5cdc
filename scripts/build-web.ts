/**
 * Builds the explorer page (web/explore/) into dist/web/explore/: esbuild bundles the TypeScript
 * (Cytoscape.js included) and the CSS into assets/, and the HTML and icon are copied beside them.
 * Everything the page loads is then a file of the package, so it works offline and under a
 * content security policy that allows only this origin's scripts and styles. The bundle is also
 * written brotli- and gzip-compressed, once, so the service sends about a quarter of its size without
 * compressing anything per request.
 */
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')
export const WEB_SOURCE_DIR = join(ROOT, 'web', 'explore')
export const WEB_OUT_DIR = join(ROOT, 'dist', 'web', 'explore')

export interface BuiltFile {
  file: string
  bytes: number
  gzipBytes: number
}

/** Bundles the page into `outDir` (replacing what was there) and returns the size of each asset. */
export async function buildWeb(outDir = WEB_OUT_DIR): Promise<BuiltFile[]> {
  const assets = join(outDir, 'assets')
  await rm(outDir, { recursive: true, force: true })
  await mkdir(assets, { recursive: true })
  await build({
    entryPoints: {
      explore: join(WEB_SOURCE_DIR, 'main.ts'),
      'explore-style': join(WEB_SOURCE_DIR, 'explore.css')
    },
    outdir: assets,
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning'
  })
  await copyFile(join(WEB_SOURCE_DIR, 'index.html'), join(outDir, 'index.html'))
  await copyFile(join(WEB_SOURCE_DIR, 'favicon.svg'), join(assets, 'favicon.svg'))
  const files = ['assets/explore.js', 'assets/explore-style.css', 'index.html']
  return Promise.all(
    files.map(async (file) => {
      const path = join(outDir, file)
      const content = await readFile(path)
      const gzipped = gzipSync(content, { level: 9 })
      if (file.startsWith('assets/')) {
        await writeFile(`${path}.gz`, gzipped)
        await writeFile(
          `${path}.br`,
          brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } })
        )
      }
      return { file, bytes: (await stat(path)).size, gzipBytes: gzipped.length }
    })
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildWeb()
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`
  for (const f of built) console.log(`web: ${f.file}  ${kb(f.bytes)} (${kb(f.gzipBytes)} gzipped)`)
}
