import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../helpers/redis-server.js'

export const NGINX = process.env.TIDINGS_TEST_NGINX ?? '/usr/sbin/nginx'

/**
 * The README's nginx example, with the test's ports: WebSocket upgrade headers, and `ip_hash`
 * so a long-polling client's requests all reach the node that holds its session.
 */
export function nginxConfig(port: number, upstreams: string[], dir: string): string {
  return `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  upstream tidings {
    ip_hash;
${upstreams.map((u) => `    server ${u};`).join('\n')}
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://tidings;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 75s;
    }
  }
}
`
}

export interface Nginx {
  url: string
  stop(): Promise<void>
}

/** Starts a private nginx on a free loopback port in front of `upstreams` (`host:port`). */
export async function startNginx(upstreams: string[]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-nginx-'))
  const port = await freePort()
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(port, upstreams, dir))
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Ready once it answers on its port (it prints nothing when it starts well).
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${output.trim()}`)
    const up = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)
    if (up) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
