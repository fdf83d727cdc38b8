// ari-client's swagger-client prints "This API is using a deprecated version of
// Swagger!" (as an array, via console.log) on every connect, because Asterisk
// (and so this fake) declares swaggerVersion 1.1. Tests can mute just that line.

const NOTICE = 'deprecated version of Swagger';

function isNotice(args: unknown[]): boolean {
  const [first] = args;
  return Array.isArray(first) && typeof first[0] === 'string' && first[0].includes(NOTICE);
}

/** Mute the notice; returns a function that restores console.log. */
export function muteSwaggerNotice(): () => void {
  const original = console.log;
  console.log = (...args: unknown[]) => {
    if (!isNotice(args)) original(...args);
  };
  return () => {
    console.log = original;
  };
}
