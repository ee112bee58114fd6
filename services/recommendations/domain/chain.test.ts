import { firstAnswer, LinkTimeoutError, notAvailable, type ChainLink, type LinkAnswer } from './chain';

type Source = 'first' | 'second' | 'last';
type Link = ChainLink<string, string, Source>;

const OPTIONS = { budgetMs: 1_000, perLinkTimeoutMs: 600 };
const last = { source: 'last' as const, answer: (query: string) => [`last for ${query}`] };

function link(source: Source, answer: (signal: AbortSignal) => Promise<LinkAnswer<string>>): Link {
  return { source, answer: (_, signal) => answer(signal) };
}
const answering = (source: Source, ...items: string[]) => link(source, async () => items);
/** A link that answers only after `ms`, or never; it notes the reason it was aborted with. */
function slow(source: Source, ms = Infinity, aborted: unknown[] = []): Link {
  return link(
    source,
    (signal) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => aborted.push(signal.reason));
        if (ms !== Infinity) setTimeout(() => resolve([`${source} at last`]), ms);
      }),
  );
}

describe('firstAnswer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers with the first link that has items, and asks no further', async () => {
    const second = jest.fn(async () => ['b']);
    const answer = await firstAnswer([answering('first', 'a'), link('second', second)], last, 'q', OPTIONS);

    expect(answer).toMatchObject({ source: 'first', items: ['a'], fallback: false });
    expect(second).not.toHaveBeenCalled();
  });

  it('passes the query on from a link that throws, and counts that as a fallback', async () => {
    const failure = new Error('Personalize is down');
    const answer = await firstAnswer(
      [link('first', () => Promise.reject(failure)), answering('second', 'b')],
      last,
      'q',
      OPTIONS,
    );

    expect(answer).toMatchObject({ source: 'second', items: ['b'], fallback: true });
    expect(answer.attempts).toEqual([
      { source: 'first', outcome: 'failed', error: failure, ms: 0 },
      { source: 'second', outcome: 'answered', ms: 0 },
    ]);
  });

  it('catches a link that throws before returning a promise', async () => {
    const throwing: Link = {
      source: 'first',
      answer: () => {
        throw new Error('synchronous');
      },
    };

    await expect(firstAnswer([throwing], last, 'q', OPTIONS)).resolves.toMatchObject({ source: 'last' });
  });

  it('passes the query on from a link that answers no items', async () => {
    const answer = await firstAnswer([answering('first'), answering('second', 'b')], last, 'q', OPTIONS);

    expect(answer).toMatchObject({ source: 'second', fallback: true });
    expect(answer.attempts[0]).toMatchObject({ outcome: 'empty' });
  });

  it('does not count a link with nothing to go on as a fallback: the next one was the first available', async () => {
    const answer = await firstAnswer(
      [link('first', async () => notAvailable('not trained')), answering('second', 'b')],
      last,
      'q',
      OPTIONS,
    );

    expect(answer).toMatchObject({ source: 'second', fallback: false });
    expect(answer.attempts[0]).toEqual({
      source: 'first',
      outcome: 'not-available',
      reason: 'not trained',
      ms: 0,
    });
  });

  it('lets the last link answer when no other can, and says whether that is a fallback', async () => {
    const unavailable = link('first', async () => notAvailable('no user'));

    await expect(firstAnswer([unavailable], last, 'q', OPTIONS)).resolves.toMatchObject({
      source: 'last',
      items: ['last for q'],
      fallback: false,
    });
    await expect(firstAnswer([unavailable, answering('second')], last, 'q', OPTIONS)).resolves.toMatchObject({
      source: 'last',
      fallback: true,
    });
  });

  it('gives up on a link at its timeout, aborts it, and asks the next', async () => {
    const aborted: unknown[] = [];
    const answering = firstAnswer(
      [slow('first', Infinity, aborted), slow('second', 100)],
      last,
      'q',
      OPTIONS,
    );

    await jest.advanceTimersByTimeAsync(599);
    expect(aborted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(aborted).toEqual([new LinkTimeoutError('first', 600)]);
    await jest.advanceTimersByTimeAsync(100);

    const answer = await answering;
    expect(answer).toMatchObject({ source: 'second', items: ['second at last'], fallback: true });
    expect(answer.attempts[0]).toEqual({ source: 'first', outcome: 'timed-out', ms: 600 });
  });

  it('gives a later link only what is left of the budget, so the whole chain keeps to it', async () => {
    const aborted: unknown[] = [];
    const start = Date.now();
    const answering = firstAnswer([slow('first'), slow('second', Infinity, aborted)], last, 'q', OPTIONS);

    await jest.advanceTimersByTimeAsync(1_000);
    const answer = await answering;

    expect(Date.now() - start).toBe(OPTIONS.budgetMs);
    expect(aborted).toEqual([new LinkTimeoutError('second', 400)]);
    expect(answer).toMatchObject({ source: 'last', items: ['last for q'], fallback: true });
    expect(answer.attempts.map((attempt) => attempt.outcome)).toEqual(['timed-out', 'timed-out', 'answered']);
  });

  it('skips the links left once the budget is spent', async () => {
    const second = jest.fn(async () => ['b']);
    const answering = firstAnswer([slow('first'), link('second', second)], last, 'q', {
      budgetMs: 500,
      perLinkTimeoutMs: 600,
    });

    await jest.advanceTimersByTimeAsync(500);

    await expect(answering).resolves.toMatchObject({ source: 'last' });
    expect(second).not.toHaveBeenCalled();
    expect((await answering).attempts[1]).toEqual({ source: 'second', outcome: 'skipped' });
  });

  it('leaves no timer behind once a link has answered', async () => {
    await firstAnswer([answering('first', 'a')], last, 'q', OPTIONS);

    expect(jest.getTimerCount()).toBe(0);
  });
});
