/**
 * The explorer page: search, a movie's card and franchise, its neighbourhood drawn from
 * /similar and /related, and a user's recommendations, all through the public API. The graph
 * is a canvas, so every node is also a row of buttons in the neighbour list: the page works
 * from the keyboard alone.
 */
import type { FranchiseMovie } from '../../src/schemas/franchise.js'
import type { MovieDetailBody } from '../../src/schemas/movie.js'
import type { RelatedResponse } from '../../src/schemas/related.js'
import type { SimilarResponse } from '../../src/schemas/similar.js'
import { ApiError, api, storeKey, storedKey } from './api.js'
import { byId, fmt, h } from './dom.js'
import { ExplorerGraph, movieLabel } from './graph.js'
import type { ExplorerEdge, SimilarEdge, TypedEdge } from './graph.js'
import { EDGE_KINDS } from './palette.js'

const graph = new ExplorerGraph(byId('graph'), {
  expand: (id) => void run(() => expand(id)),
  open: (id) => void run(() => open(id)),
  edgeHover: showEdgeTip
})

let focusId: string | null = null
/** Bumped by every open: an answer for a movie the user has since left is dropped. */
let generation = 0
let firstDrawn = false
/** The last action that failed, tried again once a key is given. */
let retry: (() => Promise<void>) | null = null

const notice = byId('notice')
const problem = byId('problem')

function say(text: string): void {
  notice.textContent = text
}

function showProblem(text: string | null): void {
  problem.hidden = text === null
  problem.textContent = text ?? ''
}

async function run(action: () => Promise<void>): Promise<void> {
  document.body.setAttribute('aria-busy', 'true')
  try {
    await action()
    showProblem(null)
    retry = null
  } catch (err) {
    retry = action
    showProblem(err instanceof ApiError ? err.message : `Something went wrong: ${String(err)}`)
  } finally {
    document.body.removeAttribute('aria-busy')
  }
}

// --- the API key ----------------------------------------------------------------------------

const keyInput = byId<HTMLInputElement>('api-key')
keyInput.value = storedKey()
byId('key-form').addEventListener('submit', (event) => {
  event.preventDefault()
  storeKey(keyInput.value.trim())
  say(keyInput.value.trim() ? 'The key is kept for this tab and sent with every request.' : 'No key is sent.')
  if (retry) void run(retry)
})
byId('forget-key').addEventListener('click', () => {
  keyInput.value = ''
  storeKey('')
  say('The key is forgotten: requests go without one.')
})

// --- search -----------------------------------------------------------------------------------

const searchInput = byId<HTMLInputElement>('search-input')
const searchResults = byId('search-results')

byId('search-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const q = searchInput.value.trim()
  if (q) void run(() => search(q))
})

async function search(q: string): Promise<void> {
  const found = await api.search(q)
  searchResults.replaceChildren(
    ...found.results.map((r) =>
      h('li', {}, h('button', { type: 'button', class: 'link', 'data-movie-id': r.movie_id }, movieLabel(r)))
    )
  )
  say(
    found.results.length === 0
      ? `Nothing found for “${q}”.`
      : `${found.results.length} movies found for “${q}”.`
  )
}

searchResults.addEventListener('click', (event) => {
  const id = (event.target as HTMLElement).closest('button')?.dataset.movieId
  if (id) void run(() => open(id))
})

// --- opening and expanding movies ---------------------------------------------------------------

function similarEdges(from: string, similar: SimilarResponse): SimilarEdge[] {
  return similar.items.map((item) => ({
    kind: 'similar',
    from,
    to: item.movie_id,
    score: item.score,
    parts: item.parts,
    evidence: item.evidence,
    weights: similar.weights
  }))
}

function typedEdges(related: RelatedResponse): TypedEdge[] {
  return related.edges.map((e) => ({
    kind: 'typed',
    type: e.type,
    from: e.from,
    to: e.to,
    score: e.score,
    source: e.source,
    symmetric: e.symmetric
  }))
}

async function open(id: string): Promise<void> {
  const mine = ++generation
  const start = `explore:open:${id}:${performance.now()}`
  performance.mark(start)
  say('Loading…')
  const [movie, similar, related] = await Promise.all([api.movie(id), api.similar(id), api.related(id)])
  if (mine !== generation) return
  performance.mark('explore:answered')
  graph.clear()
  const previous = focusId
  focusId = id
  graph.add(
    [{ movie_id: movie.movie_id, title: movie.title, year: movie.year }, ...related.nodes, ...similar.items],
    [...similarEdges(id, similar), ...typedEdges(related)]
  )
  graph.mark(id, 'focus')
  graph.mark(id, 'expanded')
  showCard(movie)
  await graph.layout(id)
  performance.mark('explore:drawn')
  performance.measure('explore:open', start, 'explore:drawn')
  performance.measure('explore:draw', 'explore:answered', 'explore:drawn')
  if (!firstDrawn) {
    firstDrawn = true
    performance.measure('explore:first-render', { start: 0, end: 'explore:drawn' })
  }
  renderNeighbours()
  // Each opened movie is a history entry, so Back returns to the one before.
  const hash = `#movie=${encodeURIComponent(id)}`
  if (location.hash !== hash) {
    if (previous === null) history.replaceState(null, '', hash)
    else history.pushState(null, '', hash)
  }
  say(
    `${movieLabel(movie)}: ${graph.nodes().length - 1} movies around it. Click a node to expand it, double-click to open it.`
  )
  // Asked for once the drawing is up, so it does not compete with what the drawing needs.
  const franchise = await api.franchise(id)
  if (mine !== generation) return
  showFranchise(id, franchise.main_line, franchise.spinoffs, franchise.remakes)
}

async function expand(id: string): Promise<void> {
  if (!focusId) return
  const mine = generation
  say('Loading…')
  const [similar, related] = await Promise.all([api.similar(id), api.related(id)])
  if (mine !== generation) return
  const added = graph.add(
    [...related.nodes, ...similar.items],
    [...similarEdges(id, similar), ...typedEdges(related)]
  )
  graph.mark(id, 'expanded')
  await graph.layout(focusId, 'settle')
  renderNeighbours()
  const movie = graph.nodes().find((m) => m.movie_id === id)
  say(`Expanded ${movie ? movieLabel(movie) : id}: ${added} new ${added === 1 ? 'movie' : 'movies'}.`)
}

window.addEventListener('hashchange', () => {
  const id = movieFromHash()
  if (id && id !== focusId) void run(() => open(id))
})

function movieFromHash(): string | null {
  const match = /^#movie=(.+)$/.exec(location.hash)
  return match?.[1] ? decodeURIComponent(match[1]) : null
}

// --- the movie card and franchise ---------------------------------------------------------------

function sentimentWord(mean: number): string {
  if (mean >= 0.05) return 'positive'
  if (mean <= -0.05) return 'negative'
  return 'neutral'
}

function showCard(movie: MovieDetailBody): void {
  const rating =
    movie.ratings.mean === null
      ? 'no ratings yet'
      : `${fmt(movie.ratings.mean, 1)} / 10 from ${movie.ratings.count} ${movie.ratings.count === 1 ? 'rating' : 'ratings'}`
  const sentiment =
    movie.reviews.sentiment_mean === null
      ? 'no reviews yet'
      : `${sentimentWord(movie.reviews.sentiment_mean)} (${fmt(movie.reviews.sentiment_mean)} on −1…1) from ${movie.reviews.count} ${movie.reviews.count === 1 ? 'review' : 'reviews'}`
  const rows: [string, string][] = [
    ['Year', movie.year === null ? 'unknown' : String(movie.year)],
    ['Genres', movie.genres.length > 0 ? movie.genres.join(', ') : 'none'],
    ['Rating', rating],
    ['Review sentiment', sentiment]
  ]
  byId('movie-title').textContent = movie.title
  byId('movie-facts').replaceChildren(
    ...rows.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])
  )
  byId('movie-overview').textContent = movie.overview ?? ''
  byId('movie-card').hidden = false
}

function showFranchise(
  id: string,
  mainLine: FranchiseMovie[],
  spinoffs: { movie: FranchiseMovie; attaches_to: string }[],
  remakes: { movie: FranchiseMovie; attaches_to: string }[]
): void {
  const section = byId('franchise')
  if (mainLine.length <= 1 && spinoffs.length === 0 && remakes.length === 0) {
    section.hidden = true
    return
  }
  const item = (m: FranchiseMovie, note?: string) =>
    h(
      'li',
      m.movie_id === id ? { 'aria-current': 'true' } : {},
      h('button', { type: 'button', class: 'link', 'data-movie-id': m.movie_id }, movieLabel(m)),
      note ? h('span', { class: 'muted' }, ` ${note}`) : null
    )
  const titleOf = (movieId: string) => {
    const m = mainLine.find((x) => x.movie_id === movieId)
    return m ? movieLabel(m) : movieId
  }
  byId('franchise-list').replaceChildren(...mainLine.map((m) => item(m)))
  byId('franchise-extras').replaceChildren(
    ...spinoffs.map((s) => item(s.movie, `spin-off of ${titleOf(s.attaches_to)}`)),
    ...remakes.map((r) => item(r.movie, `remake of ${titleOf(r.attaches_to)}`))
  )
  section.hidden = false
}

byId('franchise').addEventListener('click', (event) => {
  const id = (event.target as HTMLElement).closest('button')?.dataset.movieId
  if (id) void run(() => open(id))
})

// --- the neighbour list: the graph, reachable from the keyboard ----------------------------------

const neighbourList = byId('neighbour-list')
const edgeDetails = byId('edge-details')

/** How a movie is linked: its typed edges, its best similarity, and how many links in all. */
function linkSummary(id: string): string {
  const edges = graph.edgesOf(id)
  const typed = new Set<string>()
  let best = -1
  let similar = 0
  for (const e of edges) {
    if (e.kind === 'similar') {
      best = Math.max(best, e.score)
      similar++
    } else if (e.symmetric) typed.add(e.type)
    else typed.add(e.from === id ? `${e.type} →` : `← ${e.type}`)
  }
  const parts = [...typed]
  if (best >= 0) parts.push(`${similar > 1 ? 'best similar' : 'similar'} ${fmt(best)}`)
  if (edges.length > 2) parts.push(`${edges.length} links`)
  return parts.join(' · ')
}

function renderNeighbours(): void {
  const focus = focusId
  const movies = graph.nodes().filter((m) => m.movie_id !== focus)
  const bestScore = (id: string) =>
    Math.max(0, ...graph.edgesOf(id).map((e) => (e.kind === 'similar' ? e.score : 0.01)))
  movies.sort((a, b) => bestScore(b.movie_id) - bestScore(a.movie_id))
  neighbourList.replaceChildren(
    ...movies.map((m) => {
      const label = movieLabel(m)
      return h(
        'li',
        { 'data-movie-id': m.movie_id },
        h('span', { class: 'name' }, label),
        h('span', { class: 'links muted' }, linkSummary(m.movie_id)),
        h(
          'span',
          { class: 'actions' },
          h('button', { type: 'button', 'data-action': 'open', 'aria-label': `Open ${label}` }, 'Open'),
          h('button', { type: 'button', 'data-action': 'expand', 'aria-label': `Expand ${label}` }, 'Expand')
        )
      )
    })
  )
  byId('neighbour-count').textContent = String(movies.length)
}

neighbourList.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('button')
  const id = button?.closest('li')?.dataset.movieId
  if (!button || !id) return
  if (button.dataset.action === 'open') void run(() => open(id))
  else void run(() => expand(id))
})

neighbourList.addEventListener('focusin', (event) => {
  const id = (event.target as HTMLElement).closest('li')?.dataset.movieId
  if (!id) return
  graph.highlight(id)
  const edges = graph.edgesOf(id)
  const best = edges.find((e) => e.kind === 'similar' && (e.from === focusId || e.to === focusId)) ?? edges[0]
  edgeDetails.replaceChildren(...(best ? edgeDescription(best) : []))
})

neighbourList.addEventListener('focusout', () => graph.highlight(null))

// Up and down move between rows, keeping the column (Open or Expand).
neighbourList.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
  const button = (event.target as HTMLElement).closest('button')
  const row = button?.closest('li')
  const next = event.key === 'ArrowDown' ? row?.nextElementSibling : row?.previousElementSibling
  const target = next?.querySelector<HTMLButtonElement>(
    `button[data-action="${button?.dataset.action ?? 'open'}"]`
  )
  if (target) {
    event.preventDefault()
    target.focus()
  }
})

// --- edge details: on hover over the canvas, and for the focused row of the list -----------------

const PARTS = ['edge', 'genre', 'corating', 'franchise', 'sentiment'] as const

function titleOf(id: string): string {
  const m = graph.nodes().find((x) => x.movie_id === id)
  return m ? movieLabel(m) : id
}

function edgeDescription(edge: ExplorerEdge): Node[] {
  if (edge.kind === 'typed') {
    const typed = edge
    const arrow = typed.symmetric ? '—' : '→'
    return [
      h('p', {}, h('strong', {}, edge.type), ` ${titleOf(edge.from)} ${arrow} ${titleOf(edge.to)}`),
      h(
        'p',
        { class: 'muted' },
        [
          typed.source ? `source: ${typed.source}` : null,
          typed.score === null ? null : `score ${fmt(typed.score)}`
        ]
          .filter(Boolean)
          .join(', ')
      )
    ]
  }
  const similar = edge
  const rows = PARTS.map((part) => {
    const value = similar.parts[part]
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, part),
      h('td', {}, value === null ? 'no evidence' : fmt(value)),
      h('td', {}, fmt(similar.weights[part]))
    )
  })
  const ev = similar.evidence
  const evidence = [
    ev.shared_genres.length > 0 ? `shared genres: ${ev.shared_genres.join(', ')}` : null,
    ev.co_raters === null ? null : `${ev.co_raters} co-raters`,
    ev.franchise_hops === null
      ? null
      : `franchise: ${ev.franchise_hops} ${ev.franchise_hops === 1 ? 'hop' : 'hops'}`,
    ev.edge_source ? `edge from ${ev.edge_source}` : null
  ].filter(Boolean)
  return [
    h(
      'p',
      {},
      h('strong', {}, `Similar ${fmt(similar.score)}`),
      ` ${titleOf(edge.from)} — ${titleOf(edge.to)}`
    ),
    h(
      'table',
      {},
      h('caption', { class: 'muted' }, 'Score = Σ weight × part / Σ weight'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'part'),
          h('th', { scope: 'col' }, 'value'),
          h('th', { scope: 'col' }, 'weight')
        )
      ),
      h('tbody', {}, ...rows)
    ),
    evidence.length > 0
      ? h('p', { class: 'muted' }, evidence.join('; '))
      : h('p', { class: 'muted' }, 'no shared evidence')
  ]
}

const edgeTip = byId('edge-tip')

function showEdgeTip(edge: ExplorerEdge | null, at?: { x: number; y: number }): void {
  if (!edge || !at) {
    edgeTip.hidden = true
    return
  }
  edgeTip.replaceChildren(...edgeDescription(edge))
  edgeTip.hidden = false
  // Beside the pointer, on whichever side keeps it inside the drawing.
  const area = edgeTip.parentElement?.getBoundingClientRect()
  const gap = 14
  let left = at.x + gap
  let top = at.y + gap
  if (area && left + edgeTip.offsetWidth > area.width) left = Math.max(0, at.x - gap - edgeTip.offsetWidth)
  if (area && top + edgeTip.offsetHeight > area.height) top = Math.max(0, at.y - gap - edgeTip.offsetHeight)
  edgeTip.style.left = `${Math.round(left)}px`
  edgeTip.style.top = `${Math.round(top)}px`
}

// --- recommendations ------------------------------------------------------------------------------

const userInput = byId<HTMLInputElement>('user-id')

byId('recs-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const userId = userInput.value.trim()
  if (userId) void run(() => recommend(userId))
})

async function recommend(userId: string): Promise<void> {
  const recs = await api.recommendations(userId)
  byId('recs-strategy').textContent =
    recs.strategy === 'personal'
      ? `From what ${userId} rated highly:`
      : `${userId} has no high ratings yet, so these are popular, well-rated movies:`
  byId('recs-list').replaceChildren(
    ...recs.items.map((item) =>
      h(
        'li',
        {},
        h('button', { type: 'button', class: 'link', 'data-movie-id': item.movie_id }, movieLabel(item)),
        h('span', { class: 'muted' }, ` score ${fmt(item.score)}`),
        h('ul', { class: 'reasons' }, ...item.reasons.map((r) => h('li', {}, r.message)))
      )
    )
  )
  say(`${recs.items.length} recommendations for ${userId}.`)
}

byId('recs-list').addEventListener('click', (event) => {
  const id = (event.target as HTMLElement).closest('button')?.dataset.movieId
  if (id) void run(() => open(id))
})

// --- start --------------------------------------------------------------------------------------

byId('legend').replaceChildren(
  ...EDGE_KINDS.map((k) => {
    // Set through the CSS object model, which the policy allows; a style attribute it would refuse.
    const swatch = h('span', { class: k.directed ? 'swatch directed' : 'swatch', 'aria-hidden': 'true' })
    swatch.style.backgroundColor = k.color
    return h('li', {}, swatch, k.label)
  })
)

const initial = movieFromHash()
if (initial) void run(() => open(initial))
performance.mark('explore:ready')
