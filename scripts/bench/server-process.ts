import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createInterface } from 'node:readline'

export interface ServerLaunch {
  /** Node arguments after the node binary: flags, then the entry file. */
  args: string[]
  env: Record<string, string>
  cwd: string
  /** A temporary folder the server writes to, removed once it has stopped. */
  scratchDir?: string
}

export interface RunningServer {
  pid: number
  port: number
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The V8 inspector's WebSocket address, used to force a GC before reading memory. */
  inspectorUrl: string
  /** Why the server is gone, if it exited on its own: exit status and the end of its stderr. */
  death(): string | undefined
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 20_000
const STOP_GRACE_MS = 3_000
const STDERR_TAIL = 1500

/**
 * Starts a server as a child process and resolves once it logs `{"msg":"listening","port":…}`
 * on stdout (the hub's own log line; the baselines print the same) and the inspector has
 * announced its address on stderr.
 */
export async function startServer(launch: ServerLaunch, nodeFlags: string[] = []): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...nodeFlags, ...launch.args], {
    cwd: launch.cwd,
    env: { ...process.env, ...launch.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stopping = false
  let death: string | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) death = `exited unexpectedly (${signal ?? `code ${code}`}): ${stderr.trim().slice(-STDERR_TAIL)}`
      resolve()
    }),
  )
  let stderr = ''
  const inspectorUrl = new Promise<string>((resolve) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      // Only the end is kept: enough to say why a server died, bounded however much it logs.
      stderr = (stderr + chunk.toString()).slice(-2 * STDERR_TAIL)
      const found = /Debugger listening on (ws:\/\/\S+)/.exec(stderr)
      if (found?.[1]) resolve(found[1])
    })
  })
  const port = new Promise<number>((resolve) => {
    // Keep reading stdout for the whole run: a full pipe would block the server's logger.
    createInterface({ input: child.stdout! }).on('line', (text) => {
      if (!text.startsWith('{')) return
      try {
        const line = JSON.parse(text) as { msg?: unknown; port?: unknown }
        if (line.msg === 'listening' && typeof line.port === 'number') resolve(line.port)
      } catch {
        // Not a JSON log line: ignore.
      }
    })
  })
  const ready = Promise.all([port, inspectorUrl])
  let timer: NodeJS.Timeout | undefined
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
    void exited.then(() => reject(new Error(`server exited before listening: ${stderr.trim().slice(-500)}`)))
  })
  try {
    const [listeningPort, inspector] = await Promise.race([ready, failed])
    return {
      pid: child.pid!,
      port: listeningPort,
      url: `http://127.0.0.1:${listeningPort}`,
      inspectorUrl: inspector,
      death: () => death,
      stop: () => {
        stopping = true
        return stopChild(child, exited).then(() => removeScratch(launch))
      },
    }
  } catch (err) {
    stopping = true
    await stopChild(child, exited)
    removeScratch(launch)
    throw err
  } finally {
    clearTimeout(timer)
  }
}

const removeScratch = ({ scratchDir }: ServerLaunch): void => {
  if (scratchDir !== undefined) rmSync(scratchDir, { recursive: true, force: true })
}

/** SIGTERM, then SIGKILL if the server has not exited after a grace period. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(timer)
}
