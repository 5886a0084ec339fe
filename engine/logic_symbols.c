/*
 * logic_symbols.c -- an ik_logic program: the operator table, the symbol
 * table (names a var's first segment binds to a slot) and the program's
 * lifetime. No I/O.
 */
#include "logic_int.h"

const ik_op_info ik_logic_op_table[IK_OP__COUNT] = {
    [IK_OP_LIT] = {"(literal)", 0, 0, 0},
    [IK_OP_ARRAY] = {"(array)", 0, -1, 0},
    [IK_OP_VARD] = {"var", 0, -1, IK_DATA},
#define IK_OP(e, nm, mn, mx, fl) [IK_OP_##e] = {nm, mn, mx, fl},
#include "logic_ops.h"
#undef IK_OP
};

bool ik_logic_rehash(ik_logic *lg, uint32_t cap)
{
    uint32_t *h = ik_calloc(cap, sizeof *h);
    uint32_t k;

    if (!h)
        return false;
    ik_free(lg->hash);
    lg->hash = h;
    lg->hash_cap = cap;
    for (k = 0; k < lg->nsyms; k++) {
        uint32_t i =
            ik_logic_hash_bytes(lg->syms[k].s, lg->syms[k].len) & (cap - 1);

        while (h[i])
            i = (i + 1) & (cap - 1);
        h[i] = k + 1;
    }
    return true;
}

ik_status ik_logic_define_sym(ik_logic *lg, const char *s, size_t n,
                              uint32_t *slot, ik_error *err)
{
    uint32_t k = ik_logic_find_sym(lg, s, n);
    char *copy;

    if (k != UINT32_MAX) {
        *slot = k;
        return IK_OK;
    }
    if (n > UINT32_MAX || lg->nsyms >= UINT32_MAX / 4)
        return ik_fail(err, IK_ELIMIT, "too many names");
    if (!ik_logic_grow((void **)&lg->syms, &lg->cap_syms, lg->nsyms + 1,
                       sizeof *lg->syms))
        return ik_fail(err, IK_ENOMEM, "out of memory");
    if ((lg->nsyms + 1) * 2 > lg->hash_cap &&
        !ik_logic_rehash(lg, lg->hash_cap ? lg->hash_cap * 2 : 64))
        return ik_fail(err, IK_ENOMEM, "out of memory");
    copy = ik_arena_strndup(&lg->arena, s, n);
    if (!copy)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    lg->syms[lg->nsyms] = (seg){copy, (uint32_t)n, UINT32_MAX};
    k = ik_logic_hash_bytes(s, n) & (lg->hash_cap - 1);
    while (lg->hash[k])
        k = (k + 1) & (lg->hash_cap - 1);
    lg->hash[k] = ++lg->nsyms;
    *slot = lg->nsyms - 1;
    return IK_OK;
}

/* ---- Public: program and symbols ---- */

ik_status ik_logic_new(ik_logic **out, ik_error *err)
{
    ik_logic *lg = ik_calloc(1, sizeof *lg);

    *out = NULL;
    if (!lg)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    ik_arena_init(&lg->arena);
    *out = lg;
    return IK_OK;
}

void ik_logic_free(ik_logic *lg)
{
    if (!lg)
        return;
    ik_free(lg->code);
    ik_free(lg->entry);
    ik_free(lg->nodes);
    ik_free(lg->consts);
    ik_free(lg->paths);
    ik_free(lg->segs);
    ik_free(lg->syms);
    ik_free(lg->hash);
    ik_free(lg->unknown);
    ik_arena_fini(&lg->arena);
    ik_free(lg);
}

void ik_logic_set_strict(ik_logic *lg, bool strict)
{
    lg->strict = strict;
}

ik_status ik_logic_define(ik_logic *lg, const char *name, uint32_t *slot,
                          ik_error *err)
{
    return ik_logic_define_sym(lg, name, strlen(name), slot, err);
}

uint32_t ik_logic_find(const ik_logic *lg, const char *name)
{
    return ik_logic_find_sym(lg, name, strlen(name));
}

uint32_t ik_logic_nslots(const ik_logic *lg)
{
    return lg->nsyms;
}

const char *ik_logic_slot_name(const ik_logic *lg, uint32_t slot)
{
    return slot < lg->nsyms ? lg->syms[slot].s : NULL;
}
