/**
 * The explorer page in a real browser: Debian's Chromium (`apt-get install chromium`) driven by
 * playwright-core, against an app listening on a local port over the demo graph. Playwright's own
 * browser download is never used; without Chromium at CHROMIUM_PATH (default /usr/bin/chromium)
 * the test fails and says how to install it.
 *
 * The page is built from web/explore/ first, into dist/web/explore/ where `npm run build` puts
 * it, so the test always exercises the current source. EXPLORE_SCREENSHOT=<file.png> saves a
 * screenshot of the page after it has opened and expanded a movie.
 */
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import type { FastifyInstance } from 'fastify'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWeb } from '../../scripts/build-web.js'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { seedDemo } from '../../src/seed/demo.js'
import { TEST_READ_KEY, buildTestApp } from '../helpers/app.js'
import { testDatabase } from '../helpers/neo4j.js'
import { waitFor } from '../helpers/wait-for.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const KEY_STORAGE = 'cinegraph.explore.apiKey'

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

/** A local port nothing listens on: a Neo4j there refuses every connection at once. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Console errors and uncaught exceptions of a page, gathered as they happen. */
function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}

async function search(page: Page, q: string): Promise<void> {
  await page.getByLabel('Movie title').fill(q)
  await page.getByRole('button', { name: 'Search', exact: true }).click()
}

/** The measure's duration in ms, once the page has recorded it. */
async function measured(page: Page, name: string): Promise<number> {
  return page.evaluate(
    `performance.getEntriesByName(${JSON.stringify(name)}, 'measure').at(-1)?.duration ?? null`
  ) as Promise<number>
}

/**
 * Where the drawing shows an element, in page coordinates: `expression` is evaluated with `cy`,
 * the page's Cytoscape instance, which Cytoscape keeps on its container.
 */
async function drawnAt(page: Page, expression: string): Promise<{ x: number; y: number }> {
  return page.evaluate(`(() => {
    const container = document.getElementById('graph')
    const cy = container._cyreg.cy
    const box = container.getBoundingClientRect()
    const at = ${expression}
    return { x: box.left + at.x, y: box.top + at.y }
  })()`) as Promise<{ x: number; y: number }>
}

async function neighbourCount(page: Page): Promise<number> {
  return Number(await page.locator('#neighbour-count').textContent())
}

let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The explorer test needs Chromium at ${CHROMIUM}: apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH to another Chromium binary)'
    )
  }
  const db = testDatabase()
  try {
    await Promise.all([buildWeb(), seedDemo(db)])
  } finally {
    await db.close()
  }
  // --no-sandbox: CI and these machines run as root, where Chromium's sandbox will not start.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
})

afterAll(async () => {
  await browser?.close()
})

describe('the explorer page on the demo graph', () => {
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    // A busy shared machine may take its time over the first queries of a fresh graph.
    app = await buildTestApp({ TRAVERSAL_TX_TIMEOUT_MS: '30000' })
    base = await listen(app)
    // The timings below are of the page: the server's first plans for these reads are made here.
    for (const url of [
      '/movies/tmdb-238',
      '/movies/tmdb-238/similar?limit=12',
      '/movies/tmdb-238/related?depth=1&limit=30',
      '/movies/tmdb-238/franchise'
    ]) {
      expect((await app.inject(url)).statusCode).toBe(200)
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  it('is served under a policy of its own and kept out of the OpenAPI document', async () => {
    const page = await app.inject({ url: '/explore', headers: { authorization: undefined } })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toMatch(/style-src 'self'(;|$)/)
    expect(csp).not.toContain('unsafe-inline')
    expect(page.headers['x-frame-options']).toBe('DENY')

    // The API keeps its own policy.
    const api = await app.inject('/health')
    expect(String(api.headers['content-security-policy'])).toContain("default-src 'self'")

    const script = await app.inject({
      url: '/explore/assets/explore.js',
      headers: { authorization: undefined }
    })
    expect(script.statusCode).toBe(200)
    expect(script.headers['content-type']).toMatch(/javascript/)
    // The bundle goes out as the build compressed it, to a client that accepts it.
    const compressed = await app.inject({
      url: '/explore/assets/explore.js',
      headers: { authorization: undefined, 'accept-encoding': 'br, gzip' }
    })
    expect(compressed.statusCode).toBe(200)
    expect(compressed.headers['content-encoding']).toBe('br')
    expect(compressed.rawPayload.length).toBeLessThan(script.rawPayload.length / 2)
    const missing = await app.inject('/explore/assets/no-such-file.js')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })

    const paths = Object.keys((await app.inject('/openapi.json')).json().paths as object)
    expect(paths.filter((p) => p.startsWith('/explore'))).toEqual([])
  })

  it('searches, opens a movie with its sequel among its neighbours, expands a node, and passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${base}/explore`)

    await search(page, 'godfather')
    const hit = page.locator('#search-results').getByRole('button', { name: 'The Godfather (1972)' })
    await hit.waitFor()
    await hit.click()

    const neighbours = page.locator('#neighbour-list')
    const sequel = neighbours.locator('li', { hasText: 'The Godfather Part II (1974)' })
    await sequel.waitFor()
    await expect.poll(() => sequel.locator('.links').textContent()).toContain('SEQUEL_OF')
    // Timings are reported, not asserted: on a shared 2-core machine they say more about the
    // neighbours than about the page (README, "Explorer", has figures).
    const opened = await measured(page, 'explore:open')
    const drawn = await measured(page, 'explore:draw')
    console.log(
      `explorer: The Godfather opened in ${opened.toFixed(0)} ms, ${drawn.toFixed(0)} ms of it drawing`
    )
    expect(drawn).toBeGreaterThan(0)
    expect(opened).toBeGreaterThanOrEqual(drawn)

    // The card, and the franchise in release order.
    await expect.poll(() => page.locator('#movie-title').textContent()).toBe('The Godfather')
    const facts = await page.locator('#movie-facts').innerText()
    expect(facts).toMatch(/Year\s+1972/)
    expect(facts).toMatch(/Genres\s+Crime, Drama/)
    expect(facts).toMatch(/Rating\s+\d+\.\d \/ 10 from \d+ ratings/)
    expect(facts).toMatch(/Review sentiment\s+(positive|negative|neutral)/)
    await page.locator('#franchise').waitFor()
    expect(await page.locator('#franchise-list > li').allInnerTexts()).toEqual([
      'The Godfather (1972)',
      'The Godfather Part II (1974)',
      'The Godfather Part III (1990)'
    ])

    // Focusing a neighbour from the keyboard shows the parts of its similarity score.
    await sequel.getByRole('button', { name: /^Open/ }).focus()
    const details = page.locator('#edge-details')
    await expect.poll(() => details.innerText()).toMatch(/Similar \d\.\d\d/)
    for (const part of ['edge', 'genre', 'corating', 'franchise', 'sentiment']) {
      expect(await details.innerText()).toContain(part)
    }

    // Pointing at a similarity edge shows the parts of its score.
    const edgeAt = await drawnAt(page, `cy.getElementById('similar:tmdb-238|tmdb-240').renderedMidpoint()`)
    await page.mouse.move(edgeAt.x, edgeAt.y)
    const tip = page.locator('#edge-tip')
    await tip.waitFor()
    expect(await tip.innerText()).toMatch(/Similar \d\.\d\d The Godfather \(1972\) — The Godfather Part II/)
    expect(await tip.innerText()).toContain('corating')
    await page.mouse.move(0, 0)

    // A click on a node in the drawing expands it: its own neighbours join the drawing and the list.
    const notice = page.locator('#notice')
    const before = await neighbourCount(page)
    const outer = neighbours.locator('li').last()
    const outerId = String(await outer.getAttribute('data-movie-id'))
    const outerName = await outer.locator('.name').textContent()
    const outerAt = await drawnAt(page, `cy.getElementById(${JSON.stringify(outerId)}).renderedPosition()`)
    await page.mouse.click(outerAt.x, outerAt.y)
    await expect.poll(() => notice.textContent()).toContain(`Expanded ${outerName}`)
    expect(await neighbourCount(page)).toBeGreaterThan(before)

    // So does its Expand button, from the keyboard.
    await sequel.getByRole('button', { name: /^Expand/ }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => notice.textContent()).toContain('Expanded The Godfather Part II (1974)')

    const scan = await new AxeBuilder({ page }).analyze()
    const serious = scan.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
    expect(serious).toEqual([])

    if (process.env.EXPLORE_SCREENSHOT) {
      const at = await drawnAt(page, `cy.getElementById('similar:tmdb-238|tmdb-240').renderedMidpoint()`)
      await page.mouse.move(at.x, at.y)
      await page.screenshot({ path: process.env.EXPLORE_SCREENSHOT })
    }

    // A double click on a node opens it; Back returns to the movie before.
    const sequelAt = await drawnAt(page, `cy.getElementById('tmdb-240').renderedPosition()`)
    await page.mouse.dblclick(sequelAt.x, sequelAt.y)
    await expect.poll(() => page.locator('#movie-title').textContent()).toBe('The Godfather Part II')
    expect(page.url()).toMatch(/#movie=tmdb-240$/)
    await page.goBack()
    await expect.poll(() => page.locator('#movie-title').textContent()).toBe('The Godfather')

    expect(errors).toEqual([])
    await context.close()
  })

  it('draws a linked movie at once, and shows a user their recommendations', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    const errors = watchErrors(page)
    await page.goto(`${base}/explore#movie=tmdb-238`)
    await page.locator('#neighbour-list li[data-movie-id="tmdb-240"]').waitFor()
    const firstRender = await measured(page, 'explore:first-render')
    console.log(`explorer: first render ${firstRender.toFixed(0)} ms after navigation started`)
    expect(firstRender).toBeGreaterThan(0)

    await page.getByLabel('User id').fill('demo-ana')
    await page.getByRole('button', { name: 'Recommend' }).click()
    const first = page.locator('#recs-list > li').first()
    await first.waitFor()
    expect(await page.locator('#recs-strategy').textContent()).toMatch(/demo-ana/)
    expect(await first.locator('.reasons li').count()).toBeGreaterThan(0)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('the explorer page with READS_REQUIRE_KEY and a rate limit', () => {
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    app = await buildTestApp({
      READS_REQUIRE_KEY: 'true',
      RATE_LIMIT_MAX: '20',
      RATE_LIMIT_WINDOW_MS: '60000'
    })
    base = await listen(app)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('asks for a key, keeps it for the tab, and says when the rate limit is reached', async () => {
    const page = await browser.newPage()
    await page.goto(`${base}/explore`)
    await search(page, 'godfather')
    const problem = page.locator('#problem')
    await expect.poll(() => problem.textContent()).toMatch(/needs a key.*401/)

    // Giving the key runs the refused search again.
    await page.getByLabel('API key').fill(TEST_READ_KEY)
    await page.getByRole('button', { name: 'Use key' }).click()
    await page.locator('#search-results').getByRole('button', { name: 'The Godfather (1972)' }).waitFor()
    expect(await problem.isHidden()).toBe(true)
    expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(KEY_STORAGE)})`)).toBe(TEST_READ_KEY)

    // A reload keeps it: the next search goes with it.
    await page.reload()
    expect(await page.getByLabel('API key').inputValue()).toBe(TEST_READ_KEY)
    await search(page, 'star wars')
    await page
      .locator('#search-results')
      .getByRole('button', { name: /^Star Wars/ })
      .first()
      .waitFor()

    // Searching on until the key's budget is spent.
    const text = await waitFor(
      'the page to report the rate limit',
      async () => {
        await search(page, 'godfather')
        await page.locator('body:not([aria-busy])').waitFor()
        const shown = (await problem.isVisible()) ? await problem.textContent() : null
        return shown?.includes('429') ? shown : null
      },
      { timeoutMs: 30_000, intervalMs: 0 }
    )
    expect(text).toMatch(/rate limit.*429.*Try again in \d+ s/)
    await page.close()
  })
})

describe('the explorer page when the database is unavailable', () => {
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      NEO4J_URI: `bolt://127.0.0.1:${await closedPort()}`,
      NEO4J_PASSWORD: 'not-a-real-password',
      NEO4J_CONNECTION_TIMEOUT_MS: '500',
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
      PRESSURE_MAX_HEAP_RATIO: '0'
    })
    app = await buildApp({ config, verifyDatabase: false, database: { maxTransactionRetryTimeMs: 0 } })
    base = await listen(app)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('says the service is unavailable (503) and when to try again', async () => {
    const page = await browser.newPage()
    await page.goto(`${base}/explore`)
    await search(page, 'godfather')
    await expect
      .poll(() => page.locator('#problem').textContent(), { timeout: 20_000 })
      .toMatch(/unavailable \(503 [A-Z_]+\).*Try again in \d+ s/)
    await page.close()
  })
})
