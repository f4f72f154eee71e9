import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A process as `ps` lists it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly command: string;
}

/** The live (non-zombie) child processes of `parentPid`. */
export async function childProcesses(parentPid: number): Promise<ProcessInfo[]> {
  const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=,stat=,args=']);
  return stdout.split('\n').flatMap((line) => {
    const [, pid, ppid, stat, command = ''] = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line) ?? [];
    return Number(ppid) === parentPid && !stat?.startsWith('Z') ? [{ pid: Number(pid), command }] : [];
  });
}

/**
 * Whether `pid` is a live process. A zombie counts as gone: it has exited and only waits for whoever adopted
 * it to collect its status.
 */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const { stdout } = await run('ps', ['-o', 'stat=', '-p', String(pid)]);
    return stdout.trim() !== '' && !stdout.trim().startsWith('Z');
  } catch (error) {
    // ps exits with 1 when no process has that pid.
    if ((error as { code?: unknown }).code === 1) return false;
    throw error;
  }
}

/** Polls until `pid` is gone; false if it still runs after `timeoutMs`. */
export async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
