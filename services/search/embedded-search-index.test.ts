import { EmbeddedSearchIndex } from './embedded-search-index';
import { describeSearchIndexContract } from './search-index.contract';

describeSearchIndexContract('EmbeddedSearchIndex', () => new EmbeddedSearchIndex());
