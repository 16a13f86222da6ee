import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Debian's package; `.ci/run` installs it when missing. */
export const REDIS_SERVER = process.env.TIDINGS_TEST_REDIS_SERVER ?? '/usr/bin/redis-server'

export interface RedisServerOptions {
  /** `--appendonly yes --appendfsync always`: every acknowledged write survives a restart. */
  durable?: boolean
}

export interface RedisServer {
  /** e.g. `redis://127.0.0.1:41234` */
  url: string
  port: number
  /** Its working folder (AOF / RDB files). */
  dir: string
  /** SHUTDOWN-free stop: SIGTERM, then wait for exit (Redis saves what its settings ask). */
  stop(): Promise<void>
  /** SIGKILL: nothing is saved beyond what was already written. */
  kill(): Promise<void>
  /** Starts again on the same port and folder (after `stop` or `kill`). */
  start(): Promise<void>
  /** Sends one command over a fresh connection and resolves with the raw reply text. */
  command(...args: string[]): Promise<string>
  /** Drops every client connection of type `normal` (and pubsub), as an operator would. */
  killClients(): Promise<void>
  /** Stops it and removes its folder. */
  dispose(): Promise<void>
}

/** A port nobody listens on now (the kernel picks it; it is released before use). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

// RESP encoding of one command.
const encode = (args: string[]): string =>
  `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')

/** One command on a throwaway connection; resolves with the first reply (raw RESP text). */
function sendCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    socket.once('error', reject)
    socket.on('connect', () => socket.write(encode(args)))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      // Every reply this helper asks for fits in one line or one bulk string.
      if (/\r\n$/.test(reply) && !/^\$\d+\r\n$/.test(reply)) {
        socket.end()
        resolve(reply)
      }
    })
  })
}

/**
 * Starts a private `redis-server` on a free loopback port in a fresh temporary folder, never the
 * system one. It can be stopped, killed and started again on the same port and folder, so a test
 * sees what clients see when Redis goes away and comes back.
 *
 * @example
 * const redis = await startRedisServer({ durable: true })
 * process.env.TIDINGS_REDIS_URL = redis.url
 * await redis.dispose()
 */
export async function startRedisServer({ durable = false }: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-redis-'))
  const port = await freePort()
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()

  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--daemonize', 'no',
    '--logfile', '',
    '--loglevel', 'notice',
    ...(durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ]

  const start = async () => {
    const proc = spawn(REDIS_SERVER, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    let output = ''
    exited = new Promise((resolve) => proc.once('exit', () => resolve()))
    // Ready when it says so; an exit at start (port taken, bad option) ends the wait with its output.
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) resolve()
      }
      proc.stdout!.on('data', onData)
      proc.stderr!.on('data', onData)
      proc.once('exit', () => reject(new Error(`redis-server exited at start: ${output.trim()}`)))
    })
  }

  const signal = async (sig: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(sig)
    await exited
  }

  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    start,
    command: (...command) => sendCommand(port, command),
    killClients: async () => {
      await sendCommand(port, ['CLIENT', 'KILL', 'TYPE', 'normal'])
      await sendCommand(port, ['CLIENT', 'KILL', 'TYPE', 'pubsub'])
    },
    dispose: async () => {
      await signal('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
