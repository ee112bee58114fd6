import { ShopApi } from './api/shop-api';
import { CognitoSession } from './auth/cognito-session';
import { CartStore } from './cart/cart-store';
import type { RuntimeConfig } from './config/runtime-config';
import type { ShopServices } from './shop-services';
import { ClickstreamTracker } from './tracking/clickstream-tracker';

/** The storefront's services for one stage, from its `config.json`. */
export function createShopServices(config: RuntimeConfig): ShopServices {
  const session = new CognitoSession({
    region: config.region,
    userPoolClientId: config.userPoolClientId,
    ...(config.cognitoEndpoint && { endpoint: config.cognitoEndpoint }),
  });
  const api = new ShopApi(config.apiUrl, () => session.idToken());
  const tracker = new ClickstreamTracker({
    eventsUrl: api.eventsUrl,
    userId: () => session.currentUser()?.userId,
  });
  return { config, api, session, cart: new CartStore(), tracker };
}
