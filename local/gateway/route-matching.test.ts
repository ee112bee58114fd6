import { RouteTable } from './route-matching';

describe('RouteTable', () => {
  const table = new RouteTable<string>();
  table.add('/', 'OPTIONS', 'root options');
  table.add('/orders', 'GET', 'list orders');
  table.add('/orders/search', 'GET', 'search orders');
  table.add('/orders/{orderId}', 'GET', 'get order');
  table.add('/orders/{orderId}/items/{itemId}', 'GET', 'get item');
  table.add('/files/{proxy+}', 'ANY', 'files');
  table.add('/files/readme', 'GET', 'readme');

  it('prefers a literal path part to a {param}', () => {
    expect(table.match('/orders/search', 'GET')).toEqual({
      found: 'route',
      match: { route: 'search orders', pathParameters: {} },
    });
  });

  it('gives the decoded value of each {param}', () => {
    expect(table.match('/orders/ord%201/items/i%2F2', 'GET')).toEqual({
      found: 'route',
      match: { route: 'get item', pathParameters: { orderId: 'ord 1', itemId: 'i/2' } },
    });
  });

  it('gives the rest of the path to {proxy+}, for any method, after the literal parts', () => {
    expect(table.match('/files/a/b/c.txt', 'PUT')).toEqual({
      found: 'route',
      match: { route: 'files', pathParameters: { proxy: 'a/b/c.txt' } },
    });
    expect(table.match('/files/readme', 'GET')).toMatchObject({ match: { route: 'readme' } });
  });

  it('matches the root and ignores a trailing slash', () => {
    expect(table.match('/', 'OPTIONS')).toMatchObject({ match: { route: 'root options' } });
    expect(table.match('/orders/', 'GET')).toMatchObject({ match: { route: 'list orders' } });
  });

  it('tells a resource without the method from no resource at all', () => {
    expect(table.match('/orders', 'DELETE')).toEqual({ found: 'resource' });
    expect(table.match('/customers', 'GET')).toEqual({ found: 'nothing' });
    expect(table.match('/orders/o-1/items', 'GET')).toEqual({ found: 'nothing' });
  });

  it('refuses two different parameter names at the same level', () => {
    expect(() => table.add('/orders/{id}/notes', 'GET', 'notes')).toThrow(
      '/orders/{id}/notes conflicts with {orderId} at the same level',
    );
  });
});
