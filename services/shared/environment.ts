import { z } from 'zod';

/**
 * Reads a function's configuration from its environment once, at module scope, and fails the cold
 * start loudly, naming every missing or invalid variable, instead of failing requests later.
 */
export function loadEnvironment<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid function environment:\n  - ${problems.join('\n  - ')}`);
  }
  return result.data;
}
