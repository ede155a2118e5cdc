/**
 * Request and response shapes of the graph reads: similar movies, typed-edge traversals,
 * shortest paths, franchises and recommendations.
 */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { TRAVERSAL_BOUNDS } from '../config/traversal.js'
import { RELATIONSHIP_TYPES } from '../domain/relationship-types.js'
import { Id, ListParam } from './common.js'

const B = TRAVERSAL_BOUNDS

const Limit = Type.Integer({
  minimum: 1,
  maximum: B.maxLimit,
  default: B.defaultLimit,
  description: `How many items (at most ${B.maxLimit})`
})

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()])
const Fraction = (description: string) => Type.Number({ minimum: 0, maximum: 1, description })

const TypesParam = ListParam(
  `Edge types to follow, from: ${RELATIONSHIP_TYPES.join(', ')}. Comma-separated or repeated; default every type.`,
  B.maxExclude
)

export const MovieIdParams = Type.Object({ movie_id: Id })
export type MovieIdParams = Static<typeof MovieIdParams>

export const UserIdParams = Type.Object({ user_id: Id })
export type UserIdParams = Static<typeof UserIdParams>

export const MovieRef = Type.Object({
  movie_id: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  year: Type.Union([Type.Integer(), Type.Null()])
})
export type MovieRef = Static<typeof MovieRef>

// --- similar -------------------------------------------------------------------------------

export const SimilarQuery = Type.Object(
  {
    limit: Limit,
    min_score: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Drop items scoring below' }),
    exclude: Type.Optional(
      ListParam(`movie_ids to leave out, comma-separated or repeated (at most ${B.maxExclude})`, B.maxExclude)
    )
  },
  { additionalProperties: false }
)
export type SimilarQuery = Static<typeof SimilarQuery>

export const SimilarParts = Type.Object(
  {
    edge: Nullable(Fraction('Score of an explicit SIMILAR_TO edge; 0 without one')),
    genre: Nullable(Fraction('Jaccard index of the two genre sets; null when the movie has no genre')),
    corating: Nullable(
      Fraction(
        'Users who rated both highly / sqrt(rating_count × rating_count); null when nobody rated the movie highly'
      )
    ),
    franchise: Nullable(Fraction('1 for a direct franchise link, 0.5 for two hops, else 0')),
    sentiment: Nullable(
      Fraction('1 − |difference of mean review sentiment| / 2; null unless both have reviews')
    )
  },
  { description: 'Each part in 0..1; null means it did not apply and its weight was not counted' }
)
export type SimilarParts = Static<typeof SimilarParts>

export const SimilarEvidence = Type.Object({
  shared_genres: Type.Array(Type.String()),
  co_raters: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Users who rated both highly (among the sampled fans)'
  }),
  franchise_hops: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  edge_source: Type.Union([Type.String(), Type.Null()], { description: 'Source of the explicit edge' })
})
export type SimilarEvidence = Static<typeof SimilarEvidence>

export const SimilarItem = Type.Object({
  ...MovieRef.properties,
  score: Fraction('Weighted sum of the parts divided by the weights of the parts that applied'),
  source: Type.String({ description: 'computed (scored by the formula) or the source of an explicit edge' }),
  parts: SimilarParts,
  evidence: SimilarEvidence
})
export type SimilarItem = Static<typeof SimilarItem>

export const SimilarResponse = Type.Object({
  movie_id: Type.String(),
  mode: Type.Union([Type.Literal('precomputed'), Type.Literal('on_the_fly')], {
    description:
      'precomputed: served from SIMILAR_TO edges a rebuild left (plus explicit edges at their own score); ' +
      'on_the_fly: scored now from bounded candidate sets'
  }),
  weights: Type.Object({
    edge: Type.Number(),
    genre: Type.Number(),
    corating: Type.Number(),
    franchise: Type.Number(),
    sentiment: Type.Number()
  }),
  items: Type.Array(SimilarItem)
})
export type SimilarResponse = Static<typeof SimilarResponse>

// --- paths -----------------------------------------------------------------------------------

export const GraphEdge = Type.Object({
  type: Type.String(),
  from: Type.String({ description: 'Start of the edge as stored' }),
  to: Type.String({ description: 'End of the edge as stored' }),
  source: Type.Union([Type.String(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  symmetric: Type.Boolean({ description: 'Symmetric types are stored once, from the smaller movie_id' })
})
export type GraphEdge = Static<typeof GraphEdge>

export const RelatedQuery = Type.Object(
  {
    types: Type.Optional(TypesParam),
    depth: Type.Integer({
      minimum: 1,
      maximum: B.maxRelatedDepth,
      default: B.defaultRelatedDepth,
      description: `Hops to follow (1..${B.maxRelatedDepth})`
    }),
    limit: Type.Integer({
      minimum: 1,
      maximum: B.maxLimit,
      default: B.defaultLimit,
      description: 'How many related movies (paths)'
    })
  },
  { additionalProperties: false }
)
export type RelatedQuery = Static<typeof RelatedQuery>

export const RelatedResponse = Type.Object({
  movie_id: Type.String(),
  types: Type.Array(Type.String()),
  depth: Type.Integer(),
  nodes: Type.Array(MovieRef, { description: 'Every movie on a path, the asked one first' }),
  edges: Type.Array(GraphEdge, { description: 'Every edge on a path, once, in its stored direction' }),
  paths: Type.Array(Type.Array(Type.String()), {
    description:
      'One shortest path per related movie, as movie_ids from the asked movie; nearest first, then by movie_id'
  })
})
export type RelatedResponse = Static<typeof RelatedResponse>

export const ShortestPathQuery = Type.Object(
  {
    from: Id,
    to: Id,
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

// --- franchise -------------------------------------------------------------------------------

export const FranchiseMovie = Type.Object({
  ...MovieRef.properties,
  release_date: Type.Union([Type.String(), Type.Null()])
})
export type FranchiseMovie = Static<typeof FranchiseMovie>

export const FranchiseAttachment = Type.Object({
  movie: FranchiseMovie,
  type: Type.Union([Type.Literal('SPINOFF_OF'), Type.Literal('REMAKE_OF')]),
  attaches_to: Type.String({ description: 'The main-line movie it is a spin-off or remake of' })
})
export type FranchiseAttachment = Static<typeof FranchiseAttachment>

export const FranchiseResponse = Type.Object({
  movie_id: Type.String({ description: 'The movie asked about' }),
  anchor_movie_id: Type.String({
    description:
      'Where the franchise was collected from: the movie itself, or, for a stand-alone spin-off or ' +
      'remake, the movie it attaches to'
  }),
  main_line: Type.Array(FranchiseMovie, {
    description: 'SEQUEL_OF and SAME_FRANCHISE closure, by year, release date, title'
  }),
  spinoffs: Type.Array(FranchiseAttachment),
  remakes: Type.Array(FranchiseAttachment),
  truncated: Type.Boolean({ description: 'The main line was longer than the configured cap' })
})
export type FranchiseResponse = Static<typeof FranchiseResponse>

// --- recommendations -------------------------------------------------------------------------

export const RecommendationQuery = Type.Object({ limit: Limit }, { additionalProperties: false })
export type RecommendationQuery = Static<typeof RecommendationQuery>

export const RecommendationReason = Type.Object({
  kind: Type.Union(
    [
      Type.Literal('similar_users'),
      Type.Literal('genre'),
      Type.Literal('similar_movie'),
      Type.Literal('popular')
    ],
    {
      description:
        'similar_users: liked by users who liked what you liked; genre: in genres you like or searched for; ' +
        'similar_movie: similar to a movie you liked; popular: well rated or popular'
    }
  ),
  message: Type.String(),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
  genres: Type.Optional(Type.Array(Type.String())),
  movie: Type.Optional(MovieRef)
})
export type RecommendationReason = Static<typeof RecommendationReason>

export const RecommendationItem = Type.Object({
  ...MovieRef.properties,
  score: Type.Number({
    minimum: 0,
    maximum: 1,
    description:
      'Personal items: the weighted parts (similar users, genres, similar movies). Popular items ' +
      '(cold start, or padding after the personal ones): the mean rating / 10 when the movie has enough ' +
      'ratings, else 0. Items are in recommendation order either way.'
  }),
  reasons: Type.Array(RecommendationReason, { minItems: 1 })
})
export type RecommendationItem = Static<typeof RecommendationItem>

export const RecommendationResponse = Type.Object({
  user_id: Type.String(),
  strategy: Type.Union([Type.Literal('personal'), Type.Literal('cold_start')], {
    description:
      'personal: from what the user rated highly (padded with popular movies); cold_start: no rating of 7 ' +
      'or more (or an unknown user), so popular, well-rated movies of searched genres, then overall'
  }),
  items: Type.Array(RecommendationItem)
})
export type RecommendationResponse = Static<typeof RecommendationResponse>
