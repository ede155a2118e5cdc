/** Request and response shapes of shortest paths between two movies. */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Id, MovieRef, TRAVERSAL_BOUNDS as B } from './common.js'
import { GraphEdge, TypesParam } from './related.js'

export const ShortestPathQuery = Type.Object(
  {
    from: Id,
    to: { ...Id, description: 'Must differ from from: a path joins two movies' },
    types: Type.Optional(TypesParam),
    max_depth: Type.Integer({
      minimum: 1,
      maximum: B.maxPathDepth,
      default: B.defaultPathDepth,
      description: `Longest path looked for (1..${B.maxPathDepth})`
    })
  },
  { additionalProperties: false }
)
export type ShortestPathQuery = Static<typeof ShortestPathQuery>

export const ShortestPathResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  types: Type.Array(Type.String()),
  length: Type.Integer({ minimum: 1 }),
  path: Type.Array(Type.String(), { description: 'movie_ids from `from` to `to`' }),
  nodes: Type.Array(MovieRef),
  edges: Type.Array(GraphEdge)
})
export type ShortestPathResponse = Static<typeof ShortestPathResponse>
