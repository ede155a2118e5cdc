/** Request and response shapes of a user's recommendations. */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { GraphLimit, MovieRef } from './common.js'

export const RecommendationQuery = Type.Object({ limit: GraphLimit }, { additionalProperties: false })
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
