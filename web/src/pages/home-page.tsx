import { Link } from 'react-router';
import { CATEGORIES } from '../catalog/categories';
import { RecommendationStrip } from '../components/recommendation-strip';
import { useSignedInUser } from '../shop-services';

export function HomePage() {
  const user = useSignedInUser();
  return (
    <>
      <section className="hero">
        <h1>Everyday goods, picked for you</h1>
        <p>Browse the departments, or search for what you need.</p>
      </section>
      <RecommendationStrip type="trending" title="Trending now" />
      <RecommendationStrip type="for-you" title={user ? 'Picked for you' : 'Popular with shoppers'} />
      <section aria-labelledby="departments-heading">
        <h2 id="departments-heading">Departments</h2>
        <ul className="category-tiles">
          {CATEGORIES.map((category) => (
            <li key={category.slug}>
              <Link to={`/category/${category.slug}`}>{category.label}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
