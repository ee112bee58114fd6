/**
 * The offline quality check of the real-time `for-you` list: hit rate@10 on held-out purchases of
 * a synthetic shop (services/recommendations/signals/testing/synthetic-shop.ts) over the sample
 * catalog, against the static popular list (and the popular list minus what the shopper bought).
 * Then the same at other strengths of the shoppers' category preferences, for context: `for-you`
 * should only win where shoppers have preferences to find. Prints figures; asserts nothing.
 *
 *   npx tsx bench/recommendations-quality.bench.ts              # 2,000 shoppers, seed 1
 *   npx tsx bench/recommendations-quality.bench.ts 5000 42      # 5,000 shoppers, seed 42
 */
import { hitRates, type HitRates } from '../services/recommendations/signals/testing/offline-evaluation';
import { syntheticShop } from '../services/recommendations/signals/testing/synthetic-shop';

const users = Number(process.argv[2] ?? 2_000);
const seed = Number(process.argv[3] ?? 1);
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function evaluate(preferenceStrength?: number): { rates: HitRates; events: number; milliseconds: number } {
  const started = process.hrtime.bigint();
  const shop = syntheticShop({
    seed,
    users,
    ...(preferenceStrength !== undefined && { preferenceStrength }),
  });
  const rates = hitRates(shop);
  return { rates, events: shop.events.length, milliseconds: Number(process.hrtime.bigint() - started) / 1e6 };
}

const { rates, events, milliseconds } = evaluate();
console.log(
  `Synthetic shop: seed ${seed}, ${users.toLocaleString('en')} shoppers, ${events.toLocaleString('en')} events ` +
    `(views and purchases) over the sample catalog; preferences 70%, popularity power law 1.1.`,
);
console.log(
  `Held out: the last purchase session of ${rates.users.toLocaleString('en')} shoppers, ` +
    `${rates.heldOutPurchases.toLocaleString('en')} purchases; trained on ${rates.trainingEvents.toLocaleString('en')} of their events.`,
);
console.log(`\nHit rate@${rates.k} on held-out purchases:`);
console.log(`  for-you (real time)          ${percent(rates.forYou).padStart(6)}`);
console.log(`  popular (static)             ${percent(rates.popular).padStart(6)}`);
console.log(`  popular minus purchased      ${percent(rates.popularMinusPurchased).padStart(6)}`);
console.log(`  (${milliseconds.toFixed(0)} ms to generate and evaluate)`);

console.log(`\nBy strength of the shoppers' category preferences (share of views drawn from them):`);
console.log('  strength   for-you   popular   popular minus purchased');
for (const strength of [0, 0.3, 0.5, 0.7, 0.9]) {
  const { rates: at } = evaluate(strength);
  console.log(
    `  ${strength.toFixed(1).padStart(8)}   ${percent(at.forYou).padStart(7)}   ${percent(at.popular).padStart(7)}   ` +
      `${percent(at.popularMinusPurchased).padStart(7)}`,
  );
}
