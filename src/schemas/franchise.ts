/** Response shape of a movie's franchise in release order. */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { MovieRef } from './common.js'

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
