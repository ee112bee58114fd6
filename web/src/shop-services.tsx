import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ShopApi } from './api/shop-api';
import type { SignedInUser, CognitoSession } from './auth/cognito-session';
import type { CartStore, Cart } from './cart/cart-store';
import type { RuntimeConfig } from './config/runtime-config';
import type { ClickstreamTracker } from './tracking/clickstream-tracker';

/** What every page uses, built once at start-up from `config.json` (main.tsx). */
export interface ShopServices {
  readonly config: RuntimeConfig;
  readonly api: ShopApi;
  readonly session: CognitoSession;
  readonly cart: CartStore;
  readonly tracker: ClickstreamTracker;
}

export const ShopServicesContext = createContext<ShopServices | undefined>(undefined);

export function useShopServices(): ShopServices {
  const services = useContext(ShopServicesContext);
  if (!services) throw new Error('useShopServices is used outside <ShopServicesContext.Provider>');
  return services;
}

/** The signed-in shopper, or undefined; re-renders on sign-in and sign-out. */
export function useSignedInUser(): SignedInUser | undefined {
  const { session } = useShopServices();
  return useSyncExternalStore(session.subscribe, session.currentUser);
}

/** The cart; re-renders when it changes, in this tab or another. */
export function useCart(): Cart {
  const { cart } = useShopServices();
  return useSyncExternalStore(cart.subscribe, cart.snapshot);
}
