import '@testing-library/jest-dom';

// jsdom has no TextEncoder or TextDecoder, which react-router uses as it loads. Node's are the ones
// browsers have.
const { TextEncoder, TextDecoder } =
  jest.requireActual<Pick<typeof globalThis, 'TextEncoder' | 'TextDecoder'>>('node:util');
Object.assign(globalThis, { TextEncoder, TextDecoder });
