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

/* Does cache entry j hold key (NUL-terminated)? */
static bool cache_has(const ik_bind_cache *cache, uint32_t j, const char *key)
{
    const char *want;
    uint32_t n;

    if (j >= 64 || !cache->pos[j].klen1)
        return false;
    want = cache->pos[j].key ? cache->pos[j].key : cache->pos[j].other;
    n = cache->pos[j].klen1 - 1;
    return memcmp(want, key, n) == 0 && key[n] == '\0';
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
 * The cache holds the key order of earlier records. Walking it alongside
 * this record's members, an optional member that is absent here or new
 * here costs one hash lookup, not a lookup for every member after it.
 */
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
        if (cache && cache_has(cache, j, c->string)) {
            k = cache->pos[j++].slot;
        } else if (cache && cache_has(cache, j + 1, c->string)) {
            j++; /* the earlier record had a member this one lacks */
            k = cache->pos[j++].slot;
        } else {
            uint32_t klen = (uint32_t)strlen(c->string);

            k = ik_logic_find_sym(lg, c->string, klen);
            if (cache && (j >= 64 || !cache->pos[j].klen1))
                cache_put(lg, cache, j++, c->string, klen, k);
        }
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
