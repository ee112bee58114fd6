import { EmbeddedSearchIndex } from './embedded-search-index';
import { OpenSearchSearchIndex } from './opensearch-search-index';
import { embeddedSearchIndex, searchIndexFromEnvironment } from './search-index-from-environment';

describe('searchIndexFromEnvironment', () => {
  it('gives every caller in the process the same embedded index when SEARCH_BACKEND is embedded', () => {
    const first = searchIndexFromEnvironment({ SEARCH_BACKEND: 'embedded' });

    expect(first).toBeInstanceOf(EmbeddedSearchIndex);
    expect(searchIndexFromEnvironment({ SEARCH_BACKEND: 'embedded' })).toBe(first);
    expect(embeddedSearchIndex()).toBe(first);
  });

  it('connects to the OpenSearch domain at OPENSEARCH_ENDPOINT', () => {
    const index = searchIndexFromEnvironment({
      OPENSEARCH_ENDPOINT: 'https://search-shop-abc123.eu-west-1.es.amazonaws.com',
      AWS_REGION: 'eu-west-1',
    });

    expect(index).toBeInstanceOf(OpenSearchSearchIndex);
  });

  it('names the missing endpoint and how to set it when there is no search configuration', () => {
    expect(() => searchIndexFromEnvironment({ AWS_REGION: 'eu-west-1' })).toThrow(
      /OPENSEARCH_ENDPOINT: missing: set it to the https URL of the OpenSearch domain.*SEARCH_BACKEND=embedded/,
    );
  });

  it('rejects an endpoint that is not an https URL, quoting it', () => {
    expect(() =>
      searchIndexFromEnvironment({ OPENSEARCH_ENDPOINT: 'http://localhost:9200', AWS_REGION: 'eu-west-1' }),
    ).toThrow('"http://localhost:9200" is not an https URL');
  });

  it('rejects an unknown search backend', () => {
    expect(() => searchIndexFromEnvironment({ SEARCH_BACKEND: 'sqlite' })).toThrow(/SEARCH_BACKEND/);
  });
});
