/**
 * The shop's departments, in the order the navigation shows them: the categories of the catalog
 * the platform seeds (services/catalog/data; a test keeps the two in step).
 */
export const CATEGORIES: readonly { readonly slug: string; readonly label: string }[] = [
  { slug: 'kitchen', label: 'Kitchen' },
  { slug: 'outdoor', label: 'Outdoor' },
  { slug: 'books', label: 'Books' },
  { slug: 'audio', label: 'Audio' },
  { slug: 'home-office', label: 'Home office' },
  { slug: 'fitness', label: 'Fitness' },
  { slug: 'toys', label: 'Toys' },
  { slug: 'garden', label: 'Garden' },
  { slug: 'apparel', label: 'Apparel' },
  { slug: 'lighting', label: 'Lighting' },
];

/** A category's label, or its slug in words for one the navigation does not list. */
export function categoryLabel(slug: string): string {
  const known = CATEGORIES.find((category) => category.slug === slug);
  if (known) return known.label;
  const words = slug.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
