/**
 * The sample catalog's raw material: for each category, the kinds of product it sells and the
 * variants each kind comes in. `sample-catalog.ts` crosses them into products.
 */

/** A kind of product, such as a chef's knife: its name, what it is, and its base price. */
export interface ProductKind {
  readonly name: string;
  readonly description: string;
  /** Base price in US cents, before the variant's factor. */
  readonly basePrice: number;
}

/** A variant every kind of a category comes in, such as a colour or an edition. */
export interface ProductVariant {
  readonly label: string;
  /** A sentence added to the kind's description. */
  readonly description: string;
  /** Multiplies the kind's base price. */
  readonly priceFactor: number;
}

export interface ProductLine {
  readonly category: string;
  /** Starts every product id of the category: `kit` gives `kit-0001`, `kit-0002`… */
  readonly idPrefix: string;
  readonly kinds: readonly ProductKind[];
  readonly variants: readonly ProductVariant[];
}

export const PRODUCT_LINES: readonly ProductLine[] = [
  {
    category: 'kitchen',
    idPrefix: 'kit',
    kinds: [
      {
        name: 'Cast-Iron Skillet',
        basePrice: 3499,
        description:
          'Pre-seasoned cast iron that goes from stovetop to oven and holds its heat for an even sear.',
      },
      {
        name: "Chef's Knife",
        basePrice: 5999,
        description:
          'A full-tang blade forged from high-carbon steel, balanced for long sessions of chopping.',
      },
      {
        name: 'Pour-Over Coffee Set',
        basePrice: 2899,
        description: 'A ceramic dripper, a glass carafe and a pack of filters for a clean, bright cup.',
      },
      {
        name: 'Dutch Oven',
        basePrice: 7999,
        description: 'An enamelled pot with a tight-fitting lid for braises, stews and no-knead bread.',
      },
      {
        name: 'Bamboo Cutting Board',
        basePrice: 2499,
        description: 'Dense bamboo that is gentle on knife edges, with a juice groove around the rim.',
      },
    ],
    variants: [
      { label: 'Essential', priceFactor: 0.85, description: 'The core piece on its own, at an easy price.' },
      {
        label: 'Pro',
        priceFactor: 1.35,
        description: 'Built heavier and finished by hand for cooks who use it every day.',
      },
      {
        label: 'Gift Boxed',
        priceFactor: 1.15,
        description: 'It arrives in a gift box with a printed care guide.',
      },
    ],
  },
  {
    category: 'outdoor',
    idPrefix: 'out',
    kinds: [
      {
        name: 'Two-Person Tent',
        basePrice: 18999,
        description: 'A freestanding dome tent that pitches in minutes and sheds wind and rain.',
      },
      {
        name: 'Trekking Poles',
        basePrice: 6999,
        description:
          'Adjustable aluminium poles with cork grips that take the strain off your knees on descents.',
      },
      {
        name: 'Insulated Water Bottle',
        basePrice: 2999,
        description: 'Double-walled steel keeps drinks cold for a day and hot through a long morning.',
      },
      {
        name: 'Headlamp',
        basePrice: 3999,
        description: 'A rechargeable headlamp with a red night mode and a beam that reaches 100 metres.',
      },
      {
        name: 'Daypack 25 L',
        basePrice: 8999,
        description: 'A 25-litre pack with a ventilated back panel and a sleeve for a hydration bladder.',
      },
    ],
    variants: [
      {
        label: 'Forest Green',
        priceFactor: 1,
        description: 'Coloured forest green to blend in on the trail.',
      },
      {
        label: 'Glacier Blue',
        priceFactor: 1,
        description: 'Glacier blue, so it is easy to spot around camp.',
      },
      {
        label: 'Ultralight',
        priceFactor: 1.4,
        description: 'The ultralight build trims weight with thinner, tougher fabrics and alloys.',
      },
    ],
  },
  {
    category: 'books',
    idPrefix: 'bok',
    kinds: [
      {
        name: 'The Sourdough Year',
        basePrice: 2400,
        description: "A baker's month-by-month guide to starters, hydration and loaves that rise every time.",
      },
      {
        name: 'Rivers of Stone',
        basePrice: 1800,
        description:
          'A sweeping novel that follows three generations of a quarrying family in the Welsh hills.',
      },
      {
        name: 'Practical Stargazing',
        basePrice: 2200,
        description: 'Seasonal sky maps and plain advice for finding planets and galaxies with binoculars.',
      },
      {
        name: 'The Quiet Garden',
        basePrice: 2600,
        description: 'Essays on planting for wildlife, for shade, and for slow, unhurried afternoons.',
      },
      {
        name: 'Code That Lasts',
        basePrice: 3900,
        description: "A working programmer's handbook on writing software that stays easy to change.",
      },
    ],
    variants: [
      {
        label: 'Paperback',
        priceFactor: 0.7,
        description: 'This paperback edition is light enough for the commute.',
      },
      { label: 'Hardcover', priceFactor: 1, description: 'A cloth-bound hardcover with a ribbon bookmark.' },
      {
        label: 'Illustrated Edition',
        priceFactor: 1.5,
        description: 'The illustrated edition adds full-colour plates throughout.',
      },
    ],
  },
  {
    category: 'audio',
    idPrefix: 'aud',
    kinds: [
      {
        name: 'Over-Ear Headphones',
        basePrice: 19999,
        description: 'Closed-back headphones with active noise cancelling and thirty hours of battery.',
      },
      {
        name: 'Wireless Earbuds',
        basePrice: 12999,
        description: 'Compact earbuds with a pocketable charging case and a secure, sweat-resistant fit.',
      },
      {
        name: 'Bookshelf Speakers',
        basePrice: 24999,
        description:
          'A pair of powered speakers with a warm, detailed sound and a phono input for a turntable.',
      },
      {
        name: 'Portable Bluetooth Speaker',
        basePrice: 7999,
        description: 'A waterproof speaker that clips to a bag and plays for twelve hours on a charge.',
      },
      {
        name: 'USB Microphone',
        basePrice: 10999,
        description:
          'A cardioid condenser microphone for podcasts and calls, with a headphone jack for monitoring.',
      },
    ],
    variants: [
      {
        label: 'Matte Black',
        priceFactor: 1,
        description: 'Finished in matte black, which hides fingerprints.',
      },
      {
        label: 'Sandstone',
        priceFactor: 1,
        description: 'Finished in a warm sandstone that suits a bright room.',
      },
      {
        label: 'Studio Edition',
        priceFactor: 1.25,
        description: 'The studio edition ships with a braided cable and a hard travel case.',
      },
    ],
  },
  {
    category: 'home-office',
    idPrefix: 'off',
    kinds: [
      {
        name: 'Standing Desk',
        basePrice: 49999,
        description: 'An electric sit-stand desk with a quiet dual motor and four height presets.',
      },
      {
        name: 'Ergonomic Office Chair',
        basePrice: 39999,
        description:
          'A mesh-back chair with adjustable lumbar support and armrests that move in four directions.',
      },
      {
        name: 'Monitor Arm',
        basePrice: 11999,
        description: 'A gas-spring arm that holds a monitor of up to 32 inches at any height and angle.',
      },
      {
        name: 'Mechanical Keyboard',
        basePrice: 12999,
        description: 'A tenkeyless keyboard with hot-swappable switches and a steel top plate.',
      },
      {
        name: 'Cable Management Tray',
        basePrice: 2999,
        description: 'An under-desk steel tray that keeps power strips and chargers off the floor.',
      },
    ],
    variants: [
      {
        label: 'White',
        priceFactor: 1,
        description: 'Finished in white to keep a small room feeling bright.',
      },
      { label: 'Black', priceFactor: 1, description: 'Finished in black for a low-key setup.' },
      {
        label: 'Walnut Accent',
        priceFactor: 1.15,
        description: 'Walnut accents give it a warmer, furniture-like look.',
      },
    ],
  },
  {
    category: 'fitness',
    idPrefix: 'fit',
    kinds: [
      {
        name: 'Yoga Mat',
        basePrice: 3999,
        description: 'A 6 mm natural-rubber mat with a grippy surface that stays put through every pose.',
      },
      {
        name: 'Adjustable Dumbbell',
        basePrice: 17999,
        description: 'One dumbbell that dials from 2 to 24 kg, replacing a whole rack.',
      },
      {
        name: 'Resistance Band Set',
        basePrice: 2499,
        description: 'Five latex bands of rising tension, with handles and a door anchor.',
      },
      {
        name: 'Jump Rope',
        basePrice: 1999,
        description: 'A speed rope with ball-bearing handles and an adjustable steel cable.',
      },
      {
        name: 'Foam Roller',
        basePrice: 2999,
        description: 'A firm, textured roller for loosening calves, hamstrings and back after a run.',
      },
    ],
    variants: [
      {
        label: 'Charcoal',
        priceFactor: 1,
        description: 'Charcoal grey, which hides scuffs from the gym floor.',
      },
      { label: 'Coral', priceFactor: 1, description: 'A bright coral that is easy to find in a kit bag.' },
      {
        label: 'Pro Series',
        priceFactor: 1.3,
        description: 'The pro series uses denser materials rated for daily use in commercial gyms.',
      },
    ],
  },
  {
    category: 'toys',
    idPrefix: 'toy',
    kinds: [
      {
        name: 'Wooden Train Set',
        basePrice: 5499,
        description: 'Forty pieces of beech track, bridges and magnetic carriages for endless layouts.',
      },
      {
        name: 'Building Blocks Tub',
        basePrice: 3499,
        description: 'Three hundred compatible bricks in a tub that doubles as a storage box.',
      },
      {
        name: 'Plush Fox',
        basePrice: 1999,
        description: 'A soft, huggable fox with embroidered eyes, safe from birth.',
      },
      {
        name: 'Marble Run',
        basePrice: 4499,
        description: 'A construction kit of ramps, funnels and spirals for building marble tracks.',
      },
      {
        name: 'Rip-Stop Kite',
        basePrice: 2499,
        description: 'A nylon kite that flies in light winds and packs into its own pouch.',
      },
    ],
    variants: [
      { label: 'Rainbow', priceFactor: 1, description: 'Painted in bright rainbow colours.' },
      {
        label: 'Woodland',
        priceFactor: 1,
        description: 'Decorated with foxes, owls and hedgehogs from the woods.',
      },
      {
        label: 'Deluxe',
        priceFactor: 1.4,
        description: 'The deluxe version is bigger and comes with extra pieces to grow with the child.',
      },
    ],
  },
  {
    category: 'garden',
    idPrefix: 'gdn',
    kinds: [
      {
        name: 'Raised Garden Bed',
        basePrice: 12999,
        description: 'A galvanised steel raised bed that warms up early in spring and keeps slugs at bay.',
      },
      {
        name: 'Pruning Shears',
        basePrice: 2999,
        description: 'Bypass secateurs with a sap groove and a lock that works with one hand.',
      },
      {
        name: 'Watering Can',
        basePrice: 3499,
        description: 'A long-spouted can with a brass rose for a gentle shower on seedlings.',
      },
      {
        name: 'Compost Bin',
        basePrice: 8999,
        description: 'A vented bin with a sliding hatch at the bottom for scooping out finished compost.',
      },
      {
        name: 'Bird Feeder',
        basePrice: 2499,
        description: 'A squirrel-resistant hanging feeder with a metal roof and four perches.',
      },
    ],
    variants: [
      {
        label: 'Olive',
        priceFactor: 1,
        description: 'Finished in olive green to sit quietly among the plants.',
      },
      {
        label: 'Terracotta',
        priceFactor: 1,
        description: 'Finished in a terracotta red that warms up a patio.',
      },
      {
        label: 'Heritage',
        priceFactor: 1.35,
        description:
          'The heritage line is made in small batches from heavier materials, with a ten-year guarantee.',
      },
    ],
  },
  {
    category: 'apparel',
    idPrefix: 'app',
    kinds: [
      {
        name: 'Merino Crew Sweater',
        basePrice: 8999,
        description: 'A fine-knit merino sweater that is warm without bulk and never itches.',
      },
      {
        name: 'Rain Jacket',
        basePrice: 14999,
        description: 'A packable, seam-sealed jacket with a hood that stays put in a gale.',
      },
      {
        name: 'Organic Cotton T-Shirt',
        basePrice: 2999,
        description: 'A heavyweight organic cotton tee with a relaxed fit that keeps its shape.',
      },
      {
        name: 'Canvas Sneakers',
        basePrice: 6999,
        description: 'Low-top sneakers in washed canvas with a cushioned cork footbed.',
      },
      {
        name: 'Wool Beanie',
        basePrice: 2499,
        description: 'A ribbed beanie knitted from soft lambswool, with a folded cuff.',
      },
    ],
    variants: [
      { label: 'Charcoal', priceFactor: 1, description: 'Dyed a deep charcoal that goes with everything.' },
      {
        label: 'Oatmeal',
        priceFactor: 1,
        description: 'In undyed oatmeal, the natural colour of the fibre.',
      },
      { label: 'Navy', priceFactor: 1, description: 'In a classic navy that looks smart with denim.' },
    ],
  },
  {
    category: 'lighting',
    idPrefix: 'lgt',
    kinds: [
      {
        name: 'Desk Lamp',
        basePrice: 6999,
        description: 'A dimmable LED desk lamp on a balanced arm with a weighted base.',
      },
      {
        name: 'Arc Floor Lamp',
        basePrice: 14999,
        description: 'An arching floor lamp that throws soft light over a reading chair.',
      },
      {
        name: 'Smart Bulb Pack',
        basePrice: 3999,
        description: 'Four bulbs that follow a schedule and dim from an app on your phone.',
      },
      {
        name: 'String Lights',
        basePrice: 2499,
        description: 'Ten metres of LEDs on a fine copper wire, for a balcony or a bookshelf.',
      },
      {
        name: 'Pendant Light',
        basePrice: 8999,
        description: 'A spun-metal pendant that hangs over a dining table and casts its light downwards.',
      },
    ],
    variants: [
      { label: 'Warm White', priceFactor: 1, description: 'Set to a warm 2700 K glow for evenings.' },
      { label: 'Daylight', priceFactor: 1, description: 'Set to a crisp 5000 K daylight for close work.' },
      {
        label: 'Tunable',
        priceFactor: 1.3,
        description: 'The tunable model moves between warm white and daylight at the turn of a dial.',
      },
    ],
  },
];
