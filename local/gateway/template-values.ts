import type { Resolved } from '../template/intrinsics';
import type { StageResource } from '../template/stage-templates';

/** Names a property of a resource in errors: `dev-Api/EcommerceApiRestApiordersPOST226763DF Integration.Uri`. */
export function where(resource: StageResource, property: string): string {
  return `${resource.stackName}/${resource.logicalId} ${property}`;
}

/** An object value, or an empty one. */
export function asObject(value: Resolved | undefined): Record<string, Resolved> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** An object value with every value written as a string. */
export function stringRecord(value: Resolved | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(asObject(value)).map(([key, item]) => [key, String(item)]));
}

/** Content types are matched in lower case. */
export function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}

/** A list value with every item written as a string, or an empty list. */
export function stringList(value: Resolved | undefined): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
