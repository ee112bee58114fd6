/** Says that something is on its way, to screen readers too. */
export function Loading({ label = 'Loading' }: { readonly label?: string }) {
  return (
    <p role="status" className="loading">
      <span className="spinner" aria-hidden="true" />
      {label}…
    </p>
  );
}
