// The error a call must throw, for tests that then assert on its code and message.
import { expect } from 'chai';

/**
 * Runs `run`, which must throw an instance of `type`, and returns that error. The test fails if `run`
 * returns, or throws anything else (the assertion message then shows what it threw).
 */
export function thrownBy<E extends Error>(type: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(type);
    return e as E;
  }
  throw new Error(`expected a ${type.name}`);
}
