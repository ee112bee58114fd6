/** A listing was asked to continue from a position that was not issued for this query. */
export class InvalidPositionError extends Error {
  constructor(message = 'not a position issued for this query') {
    super(message);
    this.name = 'InvalidPositionError';
  }
}

/** The search index refused some products; the ids say which. */
export class ProductIndexingError extends Error {
  constructor(readonly failures: readonly { readonly id: string; readonly reason: string }[]) {
    super(
      `The search index refused ${failures.length} product(s): ` +
        failures.map((failure) => `${failure.id} (${failure.reason})`).join(', '),
    );
    this.name = 'ProductIndexingError';
  }
}
