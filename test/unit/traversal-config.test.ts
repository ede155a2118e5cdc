import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/config.js'
import { DEFAULT_TRAVERSAL_CONFIG, loadTraversalConfig } from '../../src/config/traversal.js'

describe('traversal configuration', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_TRAVERSAL_CONFIG.similar.weights).toEqual({
      edge: 0.35,
      genre: 0.2,
      corating: 0.25,
      franchise: 0.15,
      sentiment: 0.05
    })
    expect(DEFAULT_TRAVERSAL_CONFIG.recommend.weights).toEqual({
      collaborative: 0.5,
      genre: 0.2,
      similar: 0.3
    })
    expect(DEFAULT_TRAVERSAL_CONFIG.similar.highRating).toBe(7)
    expect(DEFAULT_TRAVERSAL_CONFIG.txTimeoutMs).toBe(5000)
    expect(DEFAULT_TRAVERSAL_CONFIG.rebuild).toEqual({ topK: 20, batchSize: 200 })
  })

  it('reads weights and caps from the environment', () => {
    const config = loadTraversalConfig({
      SIMILAR_WEIGHT_GENRE: '0.5',
      SIMILAR_MAX_PER_GENRE: '7',
      HIGH_RATING_THRESHOLD: '8',
      RECOMMEND_MIN_RATING_COUNT: ''
    })
    expect(config.similar.weights.genre).toBe(0.5)
    expect(config.similar.maxPerGenre).toBe(7)
    expect(config.similar.highRating).toBe(8)
    expect(config.recommend.highRating).toBe(8)
    expect(config.recommend.minRatingCount).toBe(20)
  })

  it('rejects bad values with one line naming the variable', () => {
    expect(() => loadTraversalConfig({ SIMILAR_WEIGHT_EDGE: 'heavy' })).toThrow(ConfigError)
    expect(() => loadTraversalConfig({ SIMILAR_WEIGHT_EDGE: '-1' })).toThrow(/SIMILAR_WEIGHT_EDGE/)
    expect(() => loadTraversalConfig({ SIMILAR_MAX_CORATERS: '0' })).toThrow(/SIMILAR_MAX_CORATERS/)
  })

  it('needs at least one weight above zero in each family', () => {
    const zero = {
      SIMILAR_WEIGHT_EDGE: '0',
      SIMILAR_WEIGHT_GENRE: '0',
      SIMILAR_WEIGHT_CORATING: '0',
      SIMILAR_WEIGHT_FRANCHISE: '0',
      SIMILAR_WEIGHT_SENTIMENT: '0'
    }
    expect(() => loadTraversalConfig(zero)).toThrow(/SIMILAR_WEIGHT_/)
    expect(() => loadTraversalConfig({ ...zero, SIMILAR_WEIGHT_GENRE: '1' })).not.toThrow()
  })
})
