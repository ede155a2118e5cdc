/**
 * The drawing: Cytoscape.js on a canvas. Nodes are movies keyed by movie_id; an edge is either a
 * similar-movies score (undirected, width by score) or a typed relationship from /related, in
 * its stored direction (arrows for directed types). The canvas is not reachable by keyboard, so
 * main.ts lists the same nodes as buttons; this module only draws and reports pointer events.
 */
import cytoscape from 'cytoscape'
import type { Core, EdgeSingular, ElementDefinition, NodeSingular } from 'cytoscape'
import type { MovieRef } from '../../src/schemas/common.js'
import type { SimilarItem, SimilarResponse } from '../../src/schemas/similar.js'
import { EDGE_KINDS, edgeColor } from './palette.js'

export interface SimilarEdge {
  kind: 'similar'
  from: string
  to: string
  score: number
  parts: SimilarItem['parts']
  evidence: SimilarItem['evidence']
  weights: SimilarResponse['weights']
}

export interface TypedEdge {
  kind: 'typed'
  /** The relationship type, e.g. SEQUEL_OF. */
  type: string
  from: string
  to: string
  score: number | null
  source: string | null
  symmetric: boolean
}

export type ExplorerEdge = SimilarEdge | TypedEdge

export interface GraphEvents {
  expand: (movieId: string) => void
  open: (movieId: string) => void
  edgeHover: (edge: ExplorerEdge | null, at?: { x: number; y: number }) => void
}

export function movieLabel(m: Pick<MovieRef, 'title' | 'year'> & { movie_id: string }): string {
  const title = m.title ?? m.movie_id
  return m.year === null ? title : `${title} (${m.year})`
}

export function similarEdgeId(a: string, b: string): string {
  return a < b ? `similar:${a}|${b}` : `similar:${b}|${a}`
}

/** Long enough that a double click is not also taken as a click that expands. */
const DOUBLE_CLICK_MS = 280

export class ExplorerGraph {
  readonly cy: Core
  private pendingTap: number | undefined

  constructor(container: HTMLElement, events: GraphEvents) {
    this.cy = cytoscape({
      container,
      minZoom: 0.3,
      maxZoom: 3,
      boxSelectionEnabled: false,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'background-color': '#e8edf5',
            'border-color': '#4a5a7a',
            'border-width': 1.5,
            width: 22,
            height: 22,
            color: '#1b1f24',
            'font-size': 12,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'text-wrap': 'wrap',
            'text-max-width': '130px',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.85,
            'text-background-padding': '2px'
          }
        },
        { selector: 'node[?expanded]', style: { 'border-width': 3, 'background-color': '#cdd8ea' } },
        {
          selector: 'node[?focus]',
          style: {
            width: 34,
            height: 34,
            'background-color': '#1d3557',
            'border-color': '#0b1626',
            'font-size': 13,
            'font-weight': 'bold'
          }
        },
        {
          selector: 'node.highlight',
          style: { 'overlay-color': '#f4a261', 'overlay-opacity': 0.35, 'overlay-padding': 6 }
        },
        {
          selector: 'edge',
          style: {
            width: 2,
            'curve-style': 'bezier',
            'line-color': 'data(color)',
            'target-arrow-color': 'data(color)',
            opacity: 0.85
          }
        },
        { selector: 'edge[?directed]', style: { 'target-arrow-shape': 'triangle', 'arrow-scale': 1.2 } },
        {
          selector: 'edge[kind = "similar"]',
          style: { width: 'mapData(score, 0, 0.5, 1, 10)', opacity: 0.55 }
        },
        { selector: 'edge[kind = "SIMILAR_TO"]', style: { 'line-style': 'dashed' } },
        {
          selector: 'edge.highlight',
          style: { opacity: 1, 'overlay-color': '#f4a261', 'overlay-opacity': 0.3 }
        }
      ]
    })

    this.cy.on('tap', 'node', (event) => {
      const id = (event.target as NodeSingular).id()
      window.clearTimeout(this.pendingTap)
      this.pendingTap = window.setTimeout(() => events.expand(id), DOUBLE_CLICK_MS)
    })
    this.cy.on('dbltap', 'node', (event) => {
      window.clearTimeout(this.pendingTap)
      events.open((event.target as NodeSingular).id())
    })
    this.cy.on('mouseover', 'edge', (event) => {
      const edge = event.target as EdgeSingular
      edge.addClass('highlight')
      events.edgeHover(edge.data('edge') as ExplorerEdge, event.renderedPosition)
    })
    this.cy.on('mouseout', 'edge', (event) => {
      ;(event.target as EdgeSingular).removeClass('highlight')
      events.edgeHover(null)
    })
    this.cy.on('mouseover', 'node', () => container.classList.add('pointing'))
    this.cy.on('mouseout', 'node', () => container.classList.remove('pointing'))
  }

  clear(): void {
    this.cy.elements().remove()
  }

  hasNode(id: string): boolean {
    return this.cy.getElementById(id).nonempty()
  }

  /** Adds what is new; returns how many nodes were added. */
  add(movies: MovieRef[], edges: ExplorerEdge[]): number {
    const elements: ElementDefinition[] = []
    let added = 0
    for (const m of movies) {
      if (this.hasNode(m.movie_id) || elements.some((e) => e.data.id === m.movie_id)) continue
      elements.push({ group: 'nodes', data: { id: m.movie_id, label: movieLabel(m), movie: m } })
      added++
    }
    for (const e of edges) {
      const id = e.kind === 'similar' ? similarEdgeId(e.from, e.to) : `${e.type}:${e.from}>${e.to}`
      if (this.cy.getElementById(id).nonempty() || elements.some((x) => x.data.id === id)) continue
      const kind = e.kind === 'similar' ? 'similar' : e.type
      elements.push({
        group: 'edges',
        data: {
          id,
          source: e.from,
          target: e.to,
          kind,
          color: edgeColor(kind),
          directed: e.kind === 'typed' && !e.symmetric,
          score: e.score ?? 0,
          edge: e
        }
      })
    }
    this.cy.add(elements)
    return added
  }

  mark(id: string, flag: 'focus' | 'expanded'): void {
    this.cy.getElementById(id).data(flag, true)
  }

  highlight(id: string | null): void {
    this.cy.elements('.highlight').removeClass('highlight')
    if (id) this.cy.getElementById(id).addClass('highlight')
  }

  /**
   * Lays the graph out: rings around `focusId` for a movie just opened, then, once nodes are
   * expanded, a force-directed layout started from where the nodes are, so an expanded node's
   * neighbours gather around it. Resolves once it is drawn.
   */
  layout(focusId: string, how: 'rings' | 'settle' = 'rings'): Promise<void> {
    const focus = this.cy.getElementById(focusId)
    const hops = this.cy.elements().dijkstra({ root: focus, directed: false })
    const options: cytoscape.LayoutOptions =
      how === 'settle'
        ? {
            name: 'cose',
            animate: false,
            randomize: false,
            fit: true,
            padding: 40,
            nodeDimensionsIncludeLabels: true,
            idealEdgeLength: () => 70,
            nodeRepulsion: () => 20_000,
            numIter: 600
          }
        : {
            name: 'concentric',
            animate: false,
            fit: true,
            padding: 40,
            minNodeSpacing: 48,
            avoidOverlap: true,
            concentric: (node: NodeSingular) => {
              const distance = hops.distanceTo(node)
              return Number.isFinite(distance) ? 100 - distance : 0
            },
            levelWidth: () => 1
          }
    const layout = this.cy.layout(options)
    const done = new Promise<void>((resolve) => {
      layout.one('layoutstop', () => resolve())
    })
    layout.run()
    return done.then(() => new Promise((resolve) => requestAnimationFrame(() => resolve())))
  }

  /** The edges that touch `id`, for the keyboard list and the details panel. */
  edgesOf(id: string): ExplorerEdge[] {
    return this.cy
      .getElementById(id)
      .connectedEdges()
      .map((e) => e.data('edge') as ExplorerEdge)
  }

  nodes(): MovieRef[] {
    return this.cy.nodes().map((n) => n.data('movie') as MovieRef)
  }
}

export { EDGE_KINDS }
