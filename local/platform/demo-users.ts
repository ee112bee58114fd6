/** A user the local platform creates at start, so the shop can be tried at once. */
export interface DemoUser {
  readonly email: string;
  readonly password: string;
  readonly groups: readonly string[];
}

/** Local only: these passwords are printed at start and never leave this machine. */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'shopper@example.com', password: 'Shopper-demo-2026!', groups: [] },
  { email: 'admin@example.com', password: 'Admin-demo-2026!', groups: ['admin'] },
];
