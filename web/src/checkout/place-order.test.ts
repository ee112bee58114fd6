import { ApiError } from '../api/api-error';
import { placeOrderOnce } from './place-order';

const keys = () => {
  let count = 0;
  return () => `key-${++count}`;
};
const noWait = jest.fn(async () => {});

describe('placeOrderOnce', () => {
  beforeEach(() => noWait.mockClear());

  it('sends one request with a new idempotency key', async () => {
    const place = jest.fn(async (key: string) => ({ orderId: 'o-1', key }));
    await expect(placeOrderOnce(place, { newKey: keys(), sleep: noWait })).resolves.toEqual({
      orderId: 'o-1',
      key: 'key-1',
    });
    expect(place).toHaveBeenCalledTimes(1);
  });

  it('retries a lost answer with the same key, backing off, so the order is placed once', async () => {
    const place = jest
      .fn<Promise<string>, [string]>()
      .mockRejectedValueOnce(new ApiError('unreachable', 0))
      .mockRejectedValueOnce(new ApiError('busy', 503))
      .mockResolvedValueOnce('order');
    await expect(placeOrderOnce(place, { newKey: keys(), sleep: noWait })).resolves.toBe('order');
    expect(place.mock.calls).toEqual([['key-1'], ['key-1'], ['key-1']]);
    expect(noWait.mock.calls).toEqual([[500], [1000]]);
  });

  it('gives up after its attempts with the last error', async () => {
    const place = jest.fn(async () => {
      throw new ApiError('unreachable', 0);
    });
    await expect(placeOrderOnce(place, { attempts: 3, newKey: keys(), sleep: noWait })).rejects.toThrow(
      'unreachable',
    );
    expect(place).toHaveBeenCalledTimes(3);
  });

  it('never retries a 4xx: that is the answer', async () => {
    const place = jest.fn(async () => {
      throw new ApiError('kit-0011 is sold out', 400);
    });
    await expect(placeOrderOnce(place, { newKey: keys(), sleep: noWait })).rejects.toThrow('sold out');
    expect(place).toHaveBeenCalledTimes(1);
  });

  it('uses a new key for each attempt at checkout', async () => {
    const newKey = keys();
    const place = jest.fn(async (key: string) => key);
    await placeOrderOnce(place, { newKey, sleep: noWait });
    await placeOrderOnce(place, { newKey, sleep: noWait });
    expect(place.mock.calls).toEqual([['key-1'], ['key-2']]);
  });
});
