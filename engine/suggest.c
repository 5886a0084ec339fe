/*
 * suggest.c -- edit distance and the "did you mean" choice. No I/O, no
 * allocation (distances use fixed rows on the stack).
 */
#include "suggest.h"

#include <string.h>

enum { MAXW = 64 };

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a < b ? a : b;
    return m < c ? m : c;
}

unsigned ik_edit_distance(const char *a, const char *b, unsigned limit)
{
    unsigned r0[MAXW], r1[MAXW], r2[MAXW];
    unsigned *prev2 = r0, *prev = r1, *cur = r2;
    size_t n = strlen(a), m = strlen(b), i, j;

    if (n > MAXW - 1)
        n = MAXW - 1;
    if (m > MAXW - 1)
        m = MAXW - 1;
    if ((n > m ? n - m : m - n) > limit)
        return limit + 1;
    for (j = 0; j <= m; j++)
        prev[j] = (unsigned)j;
    for (i = 1; i <= n; i++) {
        unsigned rowmin;
        cur[0] = (unsigned)i;
        rowmin = cur[0];
        for (j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
            if (cur[j] < rowmin)
                rowmin = cur[j];
        }
        if (rowmin > limit)
            return limit + 1;
        {
            unsigned *t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
    }
    return prev[m] > limit ? limit + 1 : prev[m];
}

static unsigned allowed(const char *word)
{
    size_t n = strlen(word);
    return n <= 3 ? 1 : (unsigned)(n + 2) / 3;
}

void ik_suggest_init(ik_suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->dist = allowed(word) + 1;
}

void ik_suggest_offer(ik_suggest *s, const char *candidate)
{
    unsigned d;

    if (!candidate || s->dist == 0 || strcmp(candidate, s->word) == 0)
        return;
    d = ik_edit_distance(s->word, candidate, s->dist - 1);
    if (d < s->dist) {
        s->dist = d;
        s->best = candidate;
    }
}

const char *ik_suggest_get(const ik_suggest *s)
{
    return s->dist <= allowed(s->word) ? s->best : NULL;
}

const char *ik_suggest_among(const char *word, const char *const *list)
{
    ik_suggest s;

    ik_suggest_init(&s, word);
    for (; *list; list++)
        ik_suggest_offer(&s, *list);
    return ik_suggest_get(&s);
}
