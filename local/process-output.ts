import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the first match of `pattern` in what a starting emulator prints (such as its
 * "listening on" line); rejects, with everything it printed, if it exits first or takes longer
 * than `timeoutMs`.
 */
export function waitForOutput(
  child: ChildProcess,
  name: string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', collect);
        // Keep draining stdout, so that a chatty emulator never blocks on a full pipe.
        child.stdout?.resume();
        resolve(match);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code}:\n${output}`));
    });
  });
}
