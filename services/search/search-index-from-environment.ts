import { z } from 'zod';
import { loadEnvironment } from '../shared/environment';
import { EmbeddedSearchIndex } from './embedded-search-index';
import { LocalSearchServiceIndex } from './local-search-service-index';
import { openSearchIndexFromEndpoint } from './opensearch-search-index';
import type { SearchIndex } from './search-index';

const backendEnvironment = z.object({
  /**
   * `opensearch` (the default) in AWS; `local` on the local platform; `embedded` only where several
   * functions run in one module cache (tests), as an embedded index is not shared across workers.
   */
  SEARCH_BACKEND: z.enum(['opensearch', 'local', 'embedded']).default('opensearch'),
});

const localEnvironment = z.object({
  LOCAL_SEARCH_URL: z.url({
    protocol: /^https?$/,
    error: (issue) =>
      `${issue.input === undefined ? 'missing' : `"${String(issue.input)}" is not an http URL`}: ` +
      "set it to the URL of the local platform's search service, such as http://127.0.0.1:4571 " +
      '(the url that startSearchService returns)',
  }),
});

const openSearchEnvironment = z.object({
  OPENSEARCH_ENDPOINT: z.url({
    protocol: /^https$/,
    error: (issue) =>
      `${issue.input === undefined ? 'missing' : `"${String(issue.input)}" is not an https URL`}: ` +
      'set it to the https URL of the OpenSearch domain, such as https://search-shop-abc123.eu-west-1.es.amazonaws.com ' +
      '(or set SEARCH_BACKEND=local and LOCAL_SEARCH_URL on the local platform)',
  }),
  AWS_REGION: z.string({ error: 'missing: the region of the OpenSearch domain, such as eu-west-1' }).min(1),
});

/** The `embedded` backend's index, one per module cache. */
let embeddedIndex: EmbeddedSearchIndex | undefined;

/**
 * The search index a function's environment names:
 * - `SEARCH_BACKEND=local`: the local platform's search service at `LOCAL_SEARCH_URL`, which every
 *   function worker shares;
 * - `SEARCH_BACKEND=embedded`: one embedded index per module cache, so that functions run together
 *   in one (a test) search the same orders;
 * - otherwise the OpenSearch domain at `OPENSEARCH_ENDPOINT` in `AWS_REGION`.
 * @throws Error naming each missing or invalid variable.
 */
export function searchIndexFromEnvironment(env: NodeJS.ProcessEnv = process.env): SearchIndex {
  switch (loadEnvironment(backendEnvironment, env).SEARCH_BACKEND) {
    case 'local':
      return new LocalSearchServiceIndex(loadEnvironment(localEnvironment, env).LOCAL_SEARCH_URL);
    case 'embedded':
      embeddedIndex ??= new EmbeddedSearchIndex();
      return embeddedIndex;
    case 'opensearch': {
      const { OPENSEARCH_ENDPOINT, AWS_REGION } = loadEnvironment(openSearchEnvironment, env);
      return openSearchIndexFromEndpoint(OPENSEARCH_ENDPOINT, AWS_REGION);
    }
  }
}
