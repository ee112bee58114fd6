import { EmbeddedSearchIndex } from './embedded-search-index';
import { LocalSearchServiceIndex } from './local-search-service-index';
import { OpenSearchSearchIndex } from './opensearch-search-index';
import { searchIndexFromEnvironment } from './search-index-from-environment';

describe('searchIndexFromEnvironment', () => {
  it("calls the local platform's search service at LOCAL_SEARCH_URL when SEARCH_BACKEND is local", () => {
    const index = searchIndexFromEnvironment({
      SEARCH_BACKEND: 'local',
      LOCAL_SEARCH_URL: 'http://127.0.0.1:4571',
      // What the local platform's functions also get from the template: not used by this backend.
      OPENSEARCH_ENDPOINT: 'https://search-shop-abc123.eu-west-1.es.amazonaws.com',
    });

    expect(index).toBeInstanceOf(LocalSearchServiceIndex);
  });

  it('names the missing LOCAL_SEARCH_URL and how to set it', () => {
    expect(() => searchIndexFromEnvironment({ SEARCH_BACKEND: 'local' })).toThrow(
      /LOCAL_SEARCH_URL: missing: set it to the URL of the local platform's search service, such as http:\/\/127\.0\.0\.1:4571/,
    );
  });

  it('rejects a LOCAL_SEARCH_URL that is not an http URL, quoting it', () => {
    expect(() =>
      searchIndexFromEnvironment({ SEARCH_BACKEND: 'local', LOCAL_SEARCH_URL: '127.0.0.1:4571' }),
    ).toThrow('"127.0.0.1:4571" is not an http URL');
  });

  it('gives every caller with the same module cache the same embedded index when SEARCH_BACKEND is embedded', () => {
    const first = searchIndexFromEnvironment({ SEARCH_BACKEND: 'embedded' });

    expect(first).toBeInstanceOf(EmbeddedSearchIndex);
    expect(searchIndexFromEnvironment({ SEARCH_BACKEND: 'embedded' })).toBe(first);
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
      /OPENSEARCH_ENDPOINT: missing: set it to the https URL of the OpenSearch domain.*SEARCH_BACKEND=local and LOCAL_SEARCH_URL/,
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
