import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus } from 'node:os'

/** Cores: the server under test gets one, the load generator (this process) the other. */
export const SERVER_CORE = 0
export const LOAD_CORE = 1

const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((path) => existsSync(path))

/** Whether pinning is possible here: taskset installed and at least two cores. */
export const canPin = (): boolean => TASKSET !== undefined && cpus().length >= 2

/**
 * Pins every thread of a running process (`-a`: V8 and libuv threads too, otherwise GC and
 * the thread pool would still wander onto the other core) to one core.
 */
export function pinProcess(pid: number, core: number): void {
  if (TASKSET === undefined) return
  execFileSync(TASKSET, ['-a', '-c', '-p', String(core), String(pid)], { stdio: 'ignore' })
}
