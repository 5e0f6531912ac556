/** Vitest settings every package shares: resolve workspace packages to their TypeScript sources. */
export const sourceConditions = ['@plugin-interfaces/source'];
