import { z } from 'zod';
import { loadEnvironment } from '../shared/environment';
import { EmbeddedSearchIndex } from './embedded-search-index';
import { openSearchIndexFromEndpoint } from './opensearch-search-index';
import type { SearchIndex } from './search-index';

const backendEnvironment = z.object({
  /** `embedded` on the local platform; OpenSearch (the default) in AWS. */
  SEARCH_BACKEND: z.enum(['opensearch', 'embedded']).default('opensearch'),
});

const openSearchEnvironment = z.object({
  OPENSEARCH_ENDPOINT: z.url({
    protocol: /^https$/,
    error: (issue) =>
      `${issue.input === undefined ? 'missing' : `"${String(issue.input)}" is not an https URL`}: ` +
      'set it to the https URL of the OpenSearch domain, such as https://search-shop-abc123.eu-west-1.es.amazonaws.com ' +
      '(or set SEARCH_BACKEND=embedded on the local platform)',
  }),
  AWS_REGION: z.string({ error: 'missing: the region of the OpenSearch domain, such as eu-west-1' }).min(1),
});

let processWideIndex: EmbeddedSearchIndex | undefined;

/** The one embedded index of this process, so that the order indexer and the API search the same orders. */
export function embeddedSearchIndex(): EmbeddedSearchIndex {
  processWideIndex ??= new EmbeddedSearchIndex();
  return processWideIndex;
}

/**
 * The search index a function's environment names: the process-wide embedded index when
 * `SEARCH_BACKEND=embedded`, otherwise the OpenSearch domain at `OPENSEARCH_ENDPOINT` in `AWS_REGION`.
 * @throws Error naming each missing or invalid variable.
 */
export function searchIndexFromEnvironment(env: NodeJS.ProcessEnv = process.env): SearchIndex {
  if (loadEnvironment(backendEnvironment, env).SEARCH_BACKEND === 'embedded') return embeddedSearchIndex();
  const { OPENSEARCH_ENDPOINT, AWS_REGION } = loadEnvironment(openSearchEnvironment, env);
  return openSearchIndexFromEndpoint(OPENSEARCH_ENDPOINT, AWS_REGION);
}
