import { z } from 'zod';

/** A product id: lower-case words and digits joined by hyphens, such as `kit-0007`. */
export const productIdSchema = z
  .string()
  .max(64, 'at most 64 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters and digits joined by hyphens, such as kit-0007');

/** A category slug, such as `kitchen` or `home-office`. */
export const categorySchema = z
  .string()
  .max(40, 'at most 40 characters')
  .regex(/^[a-z]+(?:-[a-z]+)*$/, 'lower-case words joined by hyphens, such as home-office');

/** A product of the catalog, as the store keeps it and the API returns it. */
export const productSchema = z.object({
  productId: productIdSchema,
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().min(1).max(1000),
  category: categorySchema,
  /** In the currency's minor unit (cents). */
  price: z.number().int().positive(),
  /** ISO 4217 code. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
  /** Where the storefront serves the product's picture, such as `/images/products/kit-0007.svg`. */
  imagePath: z.string().regex(/^\/images\/products\/[a-z0-9-]+\.(?:svg|png|jpg|webp)$/),
  /** Units that can be sold now. */
  stock: z.number().int().nonnegative(),
});

export type Product = Readonly<z.infer<typeof productSchema>>;
