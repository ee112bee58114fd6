import type { Product } from '../api/shop-api';
import { CartStore } from './cart-store';

const skillet: Product = {
  productId: 'kit-0001',
  name: 'Cast-Iron Skillet, Classic',
  description: 'A skillet.',
  category: 'kitchen',
  price: 3499,
  currency: 'USD',
  imagePath: '/images/products/kit-0001.svg',
  stock: 10,
};

describe('CartStore', () => {
  beforeEach(() => window.localStorage.clear());

  it('keeps the cart in local storage, so a reload finds it', () => {
    const store = new CartStore(window.localStorage);
    store.add(skillet, 2);
    const reloaded = new CartStore(window.localStorage);
    expect(reloaded.snapshot().lines).toEqual([
      expect.objectContaining({ productId: 'kit-0001', quantity: 2 }),
    ]);
  });

  it('tells its subscribers of every change, and gives the same snapshot until one', () => {
    const store = new CartStore(window.localStorage);
    const listener = jest.fn();
    const unsubscribe = store.subscribe(listener);
    const before = store.snapshot();
    expect(store.snapshot()).toBe(before);
    store.add(skillet);
    store.setQuantity('kit-0001', 3);
    store.remove('kit-0001');
    expect(listener).toHaveBeenCalledTimes(3);
    expect(store.snapshot()).not.toBe(before);
    unsubscribe();
    store.add(skillet);
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('follows a change made in another tab', () => {
    const store = new CartStore(window.localStorage);
    const listener = jest.fn();
    store.subscribe(listener);
    new CartStore(window.localStorage).add(skillet, 4);
    window.dispatchEvent(new StorageEvent('storage', { key: 'shop.cart' }));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.snapshot().lines[0]?.quantity).toBe(4);
  });

  it('starts empty when storage holds something unreadable', () => {
    window.localStorage.setItem('shop.cart', '{not json');
    expect(new CartStore(window.localStorage).snapshot().lines).toEqual([]);
  });

  it('empties the cart after an order', () => {
    const store = new CartStore(window.localStorage);
    store.add(skillet);
    store.clear();
    expect(new CartStore(window.localStorage).snapshot().lines).toEqual([]);
  });
});
