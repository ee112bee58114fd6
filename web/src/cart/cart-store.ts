import type { Product } from '../api/shop-api';
import { addToCart, EMPTY_CART, parseCart, removeFromCart, setQuantity, type Cart } from './cart';

export type { Cart };

const STORAGE_KEY = 'shop.cart';

/**
 * The cart, kept in local storage so that it survives reloads and is shared by the shop's tabs.
 * `subscribe` and `snapshot` fit React's `useSyncExternalStore` (see `useCart`).
 */
export class CartStore {
  private cart: Cart;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage = window.localStorage) {
    this.cart = this.read();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    // Another tab changed the cart.
    const onStorage = (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      this.cart = this.read();
      listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      this.listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  };

  readonly snapshot = (): Cart => this.cart;

  add(product: Product, quantity = 1): void {
    this.update(addToCart(this.cart, product, quantity));
  }

  setQuantity(productId: string, quantity: number): void {
    this.update(setQuantity(this.cart, productId, quantity));
  }

  remove(productId: string): void {
    this.update(removeFromCart(this.cart, productId));
  }

  clear(): void {
    this.update(EMPTY_CART);
  }

  private update(cart: Cart): void {
    if (cart === this.cart) return;
    this.cart = cart;
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(cart));
    } catch {
      // Storage full or disabled (private browsing): the cart lives for this page only.
    }
    for (const listener of this.listeners) listener();
  }

  private read(): Cart {
    try {
      const stored = this.storage.getItem(STORAGE_KEY);
      return stored ? parseCart(JSON.parse(stored)) : EMPTY_CART;
    } catch {
      return EMPTY_CART;
    }
  }
}
