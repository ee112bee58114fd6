import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceResponse, CloudFormationCustomResourceEvent } from 'aws-lambda';
import { z } from 'zod';
import { loadEnvironment } from '../../shared/environment';
import { SAMPLE_CATALOG } from '../data/sample-catalog';
import { loadCatalog, type ProductIndex } from '../domain/load-catalog';
import type { ProductStore } from '../domain/product-store';
import { catalogAdapters } from './catalog-adapters';

/** The one sample catalog of a stage: the same id on every update, so CloudFormation never replaces it. */
export const SAMPLE_CATALOG_RESOURCE_ID = 'sample-catalog';

export type SeedCatalogResponse = CdkCustomResourceResponse<{ productCount: number }>;

/**
 * Writes the sample catalog to the store and indexes it for search. Loading it again rewrites the
 * same products under the same ids. The local platform calls this at start.
 */
export function loadSampleCatalog(
  store: ProductStore,
  search: ProductIndex,
): Promise<{ productCount: number }> {
  return loadCatalog(SAMPLE_CATALOG, store, search);
}

/**
 * The `onEvent` handler of the sample catalog custom resource (CDK `custom_resources.Provider`).
 *
 * Create and Update load the whole sample catalog; a product the index refuses fails the
 * deployment, naming the product ids. Delete leaves the products where they are: the table
 * outlives this resource (it is retained in production, and deleting a stage deletes the table
 * with its items anyway), orders refer to the products by id, and removing the seeding from a
 * stack must not empty a live shop.
 */
export function createSeedCatalogHandler(dependencies: {
  readonly store: ProductStore;
  readonly search: ProductIndex;
  readonly logger: Logger;
}) {
  const { store, search, logger } = dependencies;
  return async (event: CloudFormationCustomResourceEvent): Promise<SeedCatalogResponse> => {
    if (event.RequestType === 'Delete') {
      logger.info('Sample catalog resource deleted; the products stay in the table and the index');
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const { productCount } = await loadSampleCatalog(store, search);
    logger.info('Sample catalog loaded', { requestType: event.RequestType, productCount });
    return { PhysicalResourceId: SAMPLE_CATALOG_RESOURCE_ID, Data: { productCount } };
  };
}

let handlerFromEnvironment: ReturnType<typeof createSeedCatalogHandler> | undefined;

/**
 * The deployed handler. Its store and search index are built from the environment on the first
 * event, not at import, so that the local platform can import `loadSampleCatalog` from here.
 */
export async function onEvent(event: CloudFormationCustomResourceEvent): Promise<SeedCatalogResponse> {
  if (!handlerFromEnvironment) {
    const env = loadEnvironment(z.object({ PRODUCTS_TABLE_NAME: z.string().min(3) }));
    handlerFromEnvironment = createSeedCatalogHandler(catalogAdapters(env.PRODUCTS_TABLE_NAME));
  }
  return handlerFromEnvironment(event);
}
