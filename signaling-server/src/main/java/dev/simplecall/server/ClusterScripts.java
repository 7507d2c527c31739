package dev.simplecall.server;

/**
 * The Lua scripts through which cluster nodes change shared state in Redis. Each runs atomically, so a
 * presence change and the notices it causes are one step; and because a node issues all of them on one
 * connection, in the order its hub made them, every node's inbox receives one node's notices and
 * messages in that order.
 *
 * <p>Keys, under a prefix ({@code ARGV[1]}, {@code {simplecall}:}; {@code KEYS[1]} names one of them
 * only so that a Redis Cluster runs the script on the node holding their slot):
 * <ul>
 *   <li>{@code room:<room>}: hash, peer id to the id of the node that holds it;
 *   <li>{@code node:<node>}: the node's heartbeat, a string with a TTL;
 *   <li>{@code nodes}: set of node ids that registered (the sweep checks their heartbeats);
 *   <li>{@code node-rooms:<node>}: set of rooms where the node may hold peers;
 *   <li>{@code grace}: set for a heartbeat TTL when a node was cut off from Redis or finds its own
 *       heartbeat lapsed: Redis, not the other nodes, was away (a failover, a restart), and no node is
 *       removed meanwhile;
 *   <li>{@code inbox:<node>}: stream of entries for the node: {@code k} = {@code m} (a routed message,
 *       {@code env} its JSON), {@code j} (peer joined), {@code l} (peer left), {@code r} (replaced: drop
 *       the peer without telling the room), with {@code room} and {@code peer}.
 * </ul>
 *
 * <p>The scripts name keys they build themselves. A Redis Cluster allows that for keys of the slot the
 * script runs on, and the prefix's hash tag puts every key into that one slot.
 */
final class ClusterScripts {
  private ClusterScripts() {}

  /** Longest an inbox grows (approximately) before old entries are trimmed. */
  static final int INBOX_MAXLEN = 10_000;

  private static final String TELL = """
      local function tell(p, n, kind, room, peer, env)
        local key = p .. 'inbox:' .. n
        if env then
          redis.call('XADD', key, 'MAXLEN', '~', '%1$d', '*', 'k', kind, 'room', room, 'peer', peer, 'env', env)
        else
          redis.call('XADD', key, 'MAXLEN', '~', '%1$d', '*', 'k', kind, 'room', room, 'peer', peer)
        end
      end
      """.formatted(INBOX_MAXLEN);

  /**
   * ARGV: prefix, room, peer, node, room size, and {@code keep} to leave a peer held by another node
   * where it is. Returns {@code {'full'}} when the room is full, {@code {'taken'}} when another node
   * holds the peer and {@code keep} was given, else {@code {old node or '', last inbox entry id or '',
   * other peer ids...}}: presence entries up to that id in this node's inbox are already in the list.
   * Registers the peer on the node; tells the old node {@code r} when the peer was on another one, else
   * every other node in the room {@code j}.
   */
  static final String CLAIM = TELL + """
      local p, room, peer, node, size = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
      local rk = p .. 'room:' .. room
      local old = redis.call('HGET', rk, peer)
      if old and old ~= node and ARGV[6] == 'keep' then return {'taken'} end
      if not old and redis.call('HLEN', rk) >= size then return {'full'} end
      redis.call('HSET', rk, peer, node)
      redis.call('SADD', p .. 'node-rooms:' .. node, room)
      local all = redis.call('HGETALL', rk)
      local last = redis.call('XREVRANGE', p .. 'inbox:' .. node, '+', '-', 'COUNT', 1)
      local result, told = {old or '', last[1] and last[1][1] or ''}, {}
      for i = 1, #all, 2 do
        local other, n = all[i], all[i + 1]
        if other ~= peer then
          result[#result + 1] = other
          if not old and n ~= node and not told[n] then
            told[n] = true
            tell(p, n, 'j', room, peer)
          end
        end
      end
      if old and old ~= node then tell(p, old, 'r', room, peer) end
      return result
      """;

  /**
   * ARGV: prefix, room, peer, node. Takes the peer out of the room if this node still holds it, and
   * tells every other node in the room {@code l}. Returns 1 when it did.
   */
  static final String LEAVE = TELL + """
      local p, room, peer, node = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
      local rk = p .. 'room:' .. room
      if redis.call('HGET', rk, peer) ~= node then return 0 end
      redis.call('HDEL', rk, peer)
      local told, mine = {}, false
      for _, n in ipairs(redis.call('HVALS', rk)) do
        if n == node then
          mine = true
        elseif not told[n] then
          told[n] = true
          tell(p, n, 'l', room, peer)
        end
      end
      if not mine then redis.call('SREM', p .. 'node-rooms:' .. node, room) end
      return 1
      """;

  /**
   * ARGV: prefix, room, to, node, envelope JSON. Appends the message to the inbox of the node holding
   * {@code to}. Returns 0 when no node holds it, 2 when this node is said to (a stale entry), 1 when sent.
   */
  static final String ROUTE = TELL + """
      local p, room, to, node, env = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
      local n = redis.call('HGET', p .. 'room:' .. room, to)
      if not n then return 0 end
      if n == node then return 2 end
      tell(p, n, 'm', room, to, env)
      return 1
      """;

  /**
   * ARGV: prefix, this node, heartbeat TTL in ms (or {@code goodbye}: remove this node), and {@code 1}
   * when this node could not reach Redis for a while. Renews this node's heartbeat, then removes every
   * node whose heartbeat expired: its peers leave their rooms (the other nodes there hear {@code l}), its
   * keys go. When this node was cut off, or its own heartbeat had lapsed while it was still registered,
   * the nodes most likely lost Redis rather than each other: it sets {@code grace} for a TTL, during
   * which no node is removed, so that the others renew theirs first. Returns 0 when this node itself had
   * been removed, else 1.
   */
  static final String SWEEP = TELL + """
      local p, self, ttl = ARGV[1], ARGV[2], ARGV[3]
      local function reap(n)
        for _, room in ipairs(redis.call('SMEMBERS', p .. 'node-rooms:' .. n)) do
          local rk = p .. 'room:' .. room
          local all = redis.call('HGETALL', rk)
          local gone, others = {}, {}
          for i = 1, #all, 2 do
            if all[i + 1] == n then gone[#gone + 1] = all[i] else others[all[i + 1]] = true end
          end
          for _, peer in ipairs(gone) do
            redis.call('HDEL', rk, peer)
            for o, _ in pairs(others) do tell(p, o, 'l', room, peer) end
          end
        end
        redis.call('DEL', p .. 'node-rooms:' .. n, p .. 'inbox:' .. n, p .. 'node:' .. n)
        redis.call('SREM', p .. 'nodes', n)
      end
      if ttl == 'goodbye' then
        reap(self)
        return 1
      end
      local known = redis.call('SISMEMBER', p .. 'nodes', self)
      if ARGV[4] == '1' or (known == 1 and redis.call('EXISTS', p .. 'node:' .. self) == 0) then
        redis.call('SET', p .. 'grace', '1', 'PX', ttl)
      end
      redis.call('SET', p .. 'node:' .. self, '1', 'PX', ttl)
      redis.call('SADD', p .. 'nodes', self)
      if redis.call('EXISTS', p .. 'grace') == 1 then return known end
      for _, n in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
        if n ~= self and redis.call('EXISTS', p .. 'node:' .. n) == 0 then reap(n) end
      end
      return known
      """;
}
