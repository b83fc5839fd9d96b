// Nothing the SDK runs may throw into the storefront's page: every listener,
// timer and entry point runs through guard().

/** `fn`, never throwing: a failure is swallowed (the storefront must never break because of us). */
export const guard =
  <A extends unknown[], R>(fn: (...a: A) => R) =>
  (...a: A): R | undefined => {
    try {
      return fn(...a);
    } catch {
      // swallowed
    }
  };
