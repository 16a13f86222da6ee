// The page's own origin until embed.ts says where the script came from: a component built
// without the embed script (tests, other bundles) still has somewhere sensible to connect.
let defaultServer: string | undefined

/**
 * Sets the hub used by components that have no `server` attribute. `embed.ts` calls it with
 * the origin the script was loaded from, so `<script src="https://hub/tidings.js">` just works.
 */
export function setDefaultServer(server: string): void {
  defaultServer = server
}

/** The hub for components without a `server` attribute. */
export function getDefaultServer(): string {
  return defaultServer ?? globalThis.location.origin
}
