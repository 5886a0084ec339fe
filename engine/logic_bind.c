/*
 * logic_bind.c -- fill an evaluation's slots from a record: the
 * top-level members of an ik_value object, or of a parsed cJSON object
 * (converted as they are bound, strings borrowed). No I/O.
 */
#include "logic_int.h"

void ik_logic_bind(const ik_logic *lg, ik_value root, ik_value *slots)
{
    uint32_t i;

    if (lg->nsyms)
        memset(slots, 0, lg->nsyms * sizeof *slots);
    if (root.kind != IK_OBJ)
        return;
    for (i = 0; i < root.len; i++) {
        const ik_member *m = &root.u.members[i];
        uint32_t k = ik_logic_find_sym(lg, m->key, m->klen);

        if (k != UINT32_MAX && slots[k].kind == IK_UNDEF)
            slots[k] = m->val;
    }
}

/* Does cache entry j hold key[0..klen) (klen UINT32_MAX: key ends at
 * its NUL, not measured yet)? */
static bool cache_has(const ik_bind_cache *cache, uint32_t j, const char *key,
                      uint32_t klen)
{
    const char *want;
    uint32_t n;

    if (j >= 64 || !cache->pos[j].klen1 ||
        (klen != UINT32_MAX && cache->pos[j].klen1 != klen + 1))
        return false;
    want = cache->pos[j].key ? cache->pos[j].key : cache->pos[j].other;
    n = cache->pos[j].klen1 - 1;
    if (klen != UINT32_MAX)
        return ik_same_bytes(want, key, n);
    /* a key of unknown length may be shorter than n: stop at its NUL */
    return strncmp(want, key, n) == 0 && key[n] == '\0';
}

static void cache_put(const ik_logic *lg, ik_bind_cache *cache, uint32_t j,
                      const char *key, uint32_t klen, uint32_t slot)
{
    if (j >= 64)
        return;
    cache->pos[j].key = slot == UINT32_MAX ? NULL : lg->syms[slot].s;
    cache->pos[j].klen1 = klen + 1;
    cache->pos[j].slot = slot;
    if (slot == UINT32_MAX && klen < sizeof cache->pos[j].other)
        memcpy(cache->pos[j].other, key, klen);
    else if (slot == UINT32_MAX)
        cache->pos[j].klen1 = 0; /* too long to remember */
}

/*
 * The slot of a record's next member key[0..klen) (klen UINT32_MAX: a
 * NUL-terminated key, measured only if the cache misses), *j its position in
 * the cache of earlier records' key order (NULL cache: a plain look-up).
 * Walking the cache alongside the record's members, an optional member
 * that is absent here or new here costs one hash look-up, not a look-up
 * for every member after it.
 */
static uint32_t cached_slot(const ik_logic *lg, ik_bind_cache *cache,
                            uint32_t *j, const char *key, uint32_t klen)
{
    uint32_t k;

    if (cache && cache_has(cache, *j, key, klen))
        return cache->pos[(*j)++].slot;
    if (cache && cache_has(cache, *j + 1, key, klen)) {
        ++*j; /* the earlier record had a member this one lacks */
        return cache->pos[(*j)++].slot;
    }
    if (klen == UINT32_MAX)
        klen = (uint32_t)strlen(key);
    k = ik_logic_find_sym(lg, key, klen);
    if (cache && (*j >= 64 || !cache->pos[*j].klen1))
        cache_put(lg, cache, (*j)++, key, klen, k);
    return k;
}

/* cached_slot for a key that missed the cache at *j, out of line so that
 * a hit costs ik_logic_slot_of no more than its test. */
static IK_NOINLINE uint32_t cached_slot_miss(const ik_logic *lg,
                                             ik_bind_cache *cache, uint32_t *j,
                                             const char *key, uint32_t klen)
{
    return cached_slot(lg, cache, j, key, klen);
}

uint32_t ik_logic_slot_of(void *ctx, uint32_t pos, const char *key,
                          uint32_t klen)
{
    ik_slot_map *m = ctx;

    if (pos == 0)
        m->at = 0;
    /* the common case: the member an earlier record had here (a key of
     * known length: no call on the way) */
    if (m->cache && klen != UINT32_MAX && cache_has(m->cache, m->at, key, klen))
        return m->cache->pos[m->at++].slot;
    return cached_slot_miss(m->lg, m->cache, &m->at, key, klen);
}

bool ik_logic_bind_cjson(const ik_logic *lg, const cJSON *obj, ik_value *slots,
                         ik_arena *a, ik_bind_cache *cache)
{
    const cJSON *c;
    uint32_t j = 0, k;

    if (lg->nsyms)
        memset(slots, 0, lg->nsyms * sizeof *slots);
    if (!cJSON_IsObject(obj))
        return true;
    for (c = obj->child; c; c = c->next) {
        k = cached_slot(lg, cache, &j, c->string, UINT32_MAX);
        if (k == UINT32_MAX || slots[k].kind != IK_UNDEF)
            continue;
        switch (c->type & 0xFF) { /* scalars without the general walk */
        case cJSON_Number:
            slots[k] = ik_num(c->valuedouble);
            continue;
        case cJSON_String:
            slots[k] = ik_str(c->valuestring, (uint32_t)strlen(c->valuestring));
            continue;
        case cJSON_True:
        case cJSON_False:
            slots[k] = ik_bool((c->type & 0xFF) == cJSON_True);
            continue;
        default:
            break;
        }
        if (!ik_value_from_cjson_borrow(c, a, &slots[k]))
            return false;
    }
    return true;
}
