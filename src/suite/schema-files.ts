import { fileURLToPath } from 'node:url'

/** The published schemas in schemas/. */
export const SCHEMA_NAMES = ['suite', 'results', 'audit'] as const
/** One of the published schemas. */
export type SchemaName = (typeof SCHEMA_NAMES)[number]

/** Absolute path of a published schema in schemas/. */
export function schemaPath(name: SchemaName): string {
  return fileURLToPath(new URL(`../../schemas/${name}.schema.json`, import.meta.url))
}
