import { afterAll, beforeAll } from 'vitest'
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js'
import { withRandomDelays } from '../../test/helpers/delayed-store.js'
import { openRedisStore } from './redis-store.js'
import { describeStoreContract } from './store.contract.js'

let redis: RedisServer
let stores = 0
beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await redis.dispose()
})

// One Redis for the file; each store gets keys of its own, so every test starts empty.
const open = ({ now }: { now: () => Date }) => openRedisStore({ url: redis.url, now, prefix: `t${++stores}:` })

describeStoreContract('redis', open)
describeStoreContract('redis, answering after random delays', async (options) => withRandomDelays(await open(options)))
