/** A `similar` or `bought-together` list was asked about a product the catalog does not have. */
export class UnknownProductError extends Error {
  constructor(readonly productId: string) {
    super(`No product ${productId}`);
    this.name = 'UnknownProductError';
  }
}

/** A `similar` or `bought-together` list was asked without saying which product it is about. */
export class ProductRequiredError extends Error {
  constructor(readonly type: string) {
    super(`A ${type} list needs a productId`);
    this.name = 'ProductRequiredError';
  }
}
