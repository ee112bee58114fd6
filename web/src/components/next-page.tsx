import { ErrorMessage } from './error-message';

/**
 * The end of a paged list: the error of the last page asked for, if it failed, and a button for
 * the next page while there is one.
 */
export function NextPage({
  pages,
  label,
  failed,
}: {
  readonly pages: {
    readonly hasNextPage: boolean;
    readonly isFetchingNextPage: boolean;
    readonly isError: boolean;
    readonly error: unknown;
    readonly fetchNextPage: () => unknown;
  };
  /** Such as "Show more". */
  readonly label: string;
  /** Such as "More products could not be loaded". */
  readonly failed: string;
}) {
  return (
    <>
      {pages.isError && <ErrorMessage error={pages.error} title={failed} />}
      {pages.hasNextPage && (
        <button
          type="button"
          className="button show-more"
          disabled={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          {pages.isFetchingNextPage ? 'Loading…' : label}
        </button>
      )}
    </>
  );
}
