/**
 * Named job locks as nodes. A lock carries an expiry that its holder renews while it works, so a
 * job that died (killed, machine lost) blocks the next one only until the expiry passes.
 */

/** Takes the lock when free or expired; always returns who holds it afterwards. */
export const ACQUIRE_LOCK = `
MERGE (l:JobLock {name: $name})
ON CREATE SET l.owner = $owner, l.acquired_at = datetime(), l.expires_at = datetime() + duration({milliseconds: $ttl_ms})
WITH l
CALL (l) {
  WITH l WHERE l.owner <> $owner AND l.expires_at < datetime()
  SET l.owner = $owner, l.acquired_at = datetime(), l.expires_at = datetime() + duration({milliseconds: $ttl_ms})
}
RETURN l.owner = $owner AS acquired, l.owner AS owner, l.acquired_at AS acquired_at, l.expires_at AS expires_at
`

/** Pushes the expiry out; no row when the lock is no longer this owner's. */
export const RENEW_LOCK = `
MATCH (l:JobLock {name: $name, owner: $owner})
SET l.expires_at = datetime() + duration({milliseconds: $ttl_ms})
RETURN l.expires_at AS expires_at
`

export const RELEASE_LOCK = `
MATCH (l:JobLock {name: $name, owner: $owner})
DELETE l
RETURN count(*) AS released
`
