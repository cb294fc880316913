/** Asking the user at the terminal: docker's "Are you sure you want to continue? [y/N]", and reading a line. */
import { write, writeLine, type CliContext } from './command.js';

/** Asks `warning` + "Are you sure you want to continue? [y/N]" unless `force`; true to go on. */
export async function confirm(context: CliContext, warning: string, force: boolean): Promise<boolean> {
  if (force) return true;
  await write(context.stdout, `${warning}\nAre you sure you want to continue? [y/N] `);
  const answer = await readLine(context.stdin);
  if (/^y(es)?$/i.test(answer.trim())) return true;
  await writeLine(context.stdout, '');
  return false;
}

/** Reads one line from stdin; an empty answer at the end of input. */
export function readLine(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdin.pause();
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) finish();
    };
    stdin.on('data', onData);
    stdin.on('end', finish);
  });
}
