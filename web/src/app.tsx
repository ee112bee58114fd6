import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ApiError } from './api/api-error';
import { Loading } from './components/loading';
import { RequireAdmin, RequireSignIn } from './layout/require-sign-in';
import { SiteLayout } from './layout/site-layout';
import { CartPage } from './pages/cart-page';
import { CategoryPage } from './pages/category-page';
import { CheckoutPage } from './pages/checkout-page';
import { ConfirmSignUpPage } from './pages/confirm-sign-up-page';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';
import { OrderPage } from './pages/order-page';
import { OrdersPage } from './pages/orders-page';
import { ProductPage } from './pages/product-page';
import { SearchPage } from './pages/search-page';
import { SignInPage } from './pages/sign-in-page';
import { SignUpPage } from './pages/sign-up-page';
import { ShopServicesContext, type ShopServices } from './shop-services';

// Shop staff only: the dashboard and its chart library load when an admin opens it.
const AdminDashboardPage = lazy(() => import('./admin/dashboard-page'));

/** Retries what may succeed again (network, 429, 5xx), twice; never a 4xx. */
function retryable(failures: number, error: unknown): boolean {
  return failures < 2 && error instanceof ApiError && error.retryable;
}

export function App({ services }: { readonly services: ShopServices }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: retryable } } }),
  );
  return (
    <ShopServicesContext.Provider value={services}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <ShopRoutes />
        </BrowserRouter>
      </QueryClientProvider>
    </ShopServicesContext.Provider>
  );
}

/** Every page of the shop, inside its header and footer. */
function ShopRoutes() {
  return (
    <Routes>
      <Route element={<SiteLayout />}>
        <Route index element={<HomePage />} />
        <Route path="category/:category" element={<CategoryPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="products/:productId" element={<ProductPage />} />
        <Route path="cart" element={<CartPage />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="sign-up" element={<SignUpPage />} />
        <Route path="confirm-sign-up" element={<ConfirmSignUpPage />} />
        <Route element={<RequireSignIn />}>
          <Route path="checkout" element={<CheckoutPage />} />
          <Route path="orders" element={<OrdersPage />} />
          <Route path="orders/:orderId" element={<OrderPage />} />
        </Route>
        <Route element={<RequireAdmin />}>
          <Route
            path="admin"
            element={
              <Suspense fallback={<Loading label="Loading the dashboard" />}>
                <AdminDashboardPage />
              </Suspense>
            }
          />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
