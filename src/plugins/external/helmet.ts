/**
 * Security headers on every response. The API answers JSON, so the policy only has to let the
 * Swagger UI at /docs work: its scripts and styles are files served from this origin, it sets
 * inline style attributes, and it shows images from data: URLs. No upgrade-insecure-requests:
 * the service itself speaks plain HTTP (TLS ends at the load balancer), and the directive would
 * send the docs' own assets to an https:// address that does not answer.
 */
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import type { FastifyHelmetOptions } from '@fastify/helmet'

/**
 * The explorer page's own policy, set on its route in place of the one below: this origin's
 * scripts, styles, images and fetches, nothing else. No inline styles, unlike the API's policy:
 * the page sets its few computed styles through the CSS object model, which a policy does not
 * govern, and its bundle (Cytoscape.js included) adds no style element or attribute.
 */
export const EXPLORER_HELMET: Omit<FastifyHelmetOptions, 'global'> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      baseUri: ["'none'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'"],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'"]
    }
  }
}

export default fp(
  async (app) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'self'"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'", "'unsafe-inline'"]
        }
      },
      frameguard: { action: 'deny' }
    })
  },
  { name: 'helmet' }
)
