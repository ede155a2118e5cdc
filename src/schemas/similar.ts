/** Request and response shapes of similar movies. */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { GraphLimit, ListParam, MovieRef, TRAVERSAL_BOUNDS as B } from './common.js'

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()])
const Fraction = (description: string) => Type.Number({ minimum: 0, maximum: 1, description })

export const SimilarQuery = Type.Object(
  {
    limit: GraphLimit,
    min_score: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Drop items scoring below' }),
    exclude: Type.Optional(
      ListParam(
        `movie_ids to leave out, comma-separated or repeated (at most ${B.maxExclude}); each must be a valid movie_id`,
        B.maxExclude
      )
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
  { description: 'Each part in 0..1; null means there is no evidence of that kind, which counts as 0' }
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
  score: Fraction(
    'Σ weight × part over all five parts divided by the sum of the weights; a part without evidence counts 0'
  ),
  source: Type.String({
    description:
      'Always computed (scored by the formula); an explicit edge shows as parts.edge and evidence.edge_source'
  }),
  parts: SimilarParts,
  evidence: SimilarEvidence
})
export type SimilarItem = Static<typeof SimilarItem>

export const SimilarResponse = Type.Object({
  movie_id: Type.String(),
  mode: Type.Union([Type.Literal('precomputed'), Type.Literal('on_the_fly')], {
    description:
      'precomputed: the list `cinegraph similarity rebuild` stored on the movie; ' +
      'on_the_fly: scored now from bounded candidate sets (a movie added since the last rebuild)'
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
