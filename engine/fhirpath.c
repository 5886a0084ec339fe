/*
 * fhirpath.c -- JsonLogic conditions as FHIRPath (see fhirpath.h).
 *
 * Each sub-expression is translated to FHIRPath text with a kind saying
 * what that text stands for, so that json-logic-js semantics are kept:
 *
 *   BOOL    exactly one Boolean, equal to the JsonLogic value
 *   TRUTHY  exactly one Boolean, the truthiness of the JsonLogic value
 *           (an and/or of non-Booleans); usable only as a condition
 *   YN      0..1 Boolean: a yes/no answer (none: null)
 *   YNU     0..1 code yes/no/unknown: JsonLogic true/false/"unknown"
 *   CODE    0..1 option code "<question>.<value>" of question q
 *   CODES   0..n option codes of multi question q (none: [] or null)
 *   NUM     0..1 number (exactly one when total)
 *   STR     0..1 string (exactly one when total)
 *   NULL    the constant null
 *
 * Anything else (paths, iteration, missing, a comparison whose operands
 * JavaScript would convert) is refused with a message naming it.
 */
#include "fhirpath.h"

#include "alloc.h"
#include "error.h"
#include "logic.h"
#include "value.h"

#include <math.h>
#include <string.h>

typedef enum fk {
    FK_BOOL,
    FK_TRUTHY,
    FK_YN,
    FK_YNU,
    FK_CODE,
    FK_CODES,
    FK_NUM,
    FK_STR,
    FK_NULL
} fk;

typedef struct fx {
    fk kind;
    bool total;  /* never empty */
    bool atomic; /* a path or literal: no parentheses needed */
    uint32_t q;  /* CODE, CODES: the question; else IK_NONE */
    uint32_t v;  /* question answered (null test): IK_NONE if not known */
} fx;

enum { D_UNSEEN, D_BUSY, D_OK };

typedef struct dv {
    fx x;
    char *text;
    int state;
} dv;

struct ik_fhirpath {
    const ik_rulebook *rb;
    uint32_t nslots;
    uint32_t *qof, *dof; /* slot -> question / derived index, or IK_NONE */
    dv *d;
    uint32_t *order; /* derived translated, in completion order */
    uint32_t norder;
};

/* Reserved environment variables of FHIRPath and SDC: a derived value may
 * not take their names. */
static const char *const reserved[] = {
    "resource", "rootResource", "context",   "questionnaire", "qitem",
    "ucum",     "sct",          "loinc",     "factory",       "terminologies",
    "server",   "this",         "index",     "total",         NULL};

void ik_fhir_option_code(ik_buf *b, const ik_question *q, const char *value,
                         size_t n)
{
    ik_buf_puts(b, q->id);
    ik_buf_putc(b, '.');
    ik_buf_put(b, value, n);
}

void ik_fhirpath_var_name(ik_buf *b, const char *id)
{
    for (; *id; id++)
        ik_buf_putc(b, *id == '_' ? '-' : *id);
}

ik_status ik_fhirpath_new(const ik_rulebook *rb, ik_fhirpath **out,
                          ik_error *err)
{
    ik_fhirpath *fp = ik_calloc(1, sizeof *fp);
    uint32_t i, n = ik_logic_nslots(rb->logic);

    *out = NULL;
    if (!fp)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    fp->rb = rb;
    fp->nslots = n;
    fp->qof = ik_malloc((n + 1) * sizeof *fp->qof);
    fp->dof = ik_malloc((n + 1) * sizeof *fp->dof);
    fp->d = ik_calloc(rb->nderived + 1, sizeof *fp->d);
    fp->order = ik_malloc((rb->nderived + 1) * sizeof *fp->order);
    if (!fp->qof || !fp->dof || !fp->d || !fp->order) {
        ik_fhirpath_free(fp);
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++)
        fp->qof[i] = fp->dof[i] = IK_NONE;
    for (i = 0; i < rb->nquestions; i++)
        if (rb->questions[i].slot < n)
            fp->qof[rb->questions[i].slot] = i;
    for (i = 0; i < rb->nderived; i++)
        if (rb->derived[i].slot < n && fp->qof[rb->derived[i].slot] == IK_NONE)
            fp->dof[rb->derived[i].slot] = i;
    *out = fp;
    return IK_OK;
}

void ik_fhirpath_free(ik_fhirpath *fp)
{
    uint32_t i;

    if (!fp)
        return;
    for (i = 0; fp->d && i < fp->rb->nderived; i++)
        ik_free(fp->d[i].text);
    ik_free(fp->qof);
    ik_free(fp->dof);
    ik_free(fp->d);
    ik_free(fp->order);
    ik_free(fp);
}

uint32_t ik_fhirpath_nneeded(const ik_fhirpath *fp)
{
    return fp->norder;
}

uint32_t ik_fhirpath_needed(const ik_fhirpath *fp, uint32_t i,
                            const char **expression)
{
    uint32_t d = fp->order[i];

    *expression = fp->d[d].text;
    return d;
}

/* ---- Text ---- */

static void put_string_literal(ik_buf *b, const char *s, size_t n)
{
    size_t i;

    ik_buf_putc(b, '\'');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'' || c == '\\') {
            ik_buf_putc(b, '\\');
            ik_buf_putc(b, (char)c);
        } else if (c == '\n') {
            ik_buf_puts(b, "\\n");
        } else if (c == '\r') {
            ik_buf_puts(b, "\\r");
        } else if (c == '\t') {
            ik_buf_puts(b, "\\t");
        } else if (c < 0x20) {
            ik_buf_printf(b, "\\u%04x", c);
        } else {
            ik_buf_putc(b, (char)c);
        }
    }
    ik_buf_putc(b, '\'');
}

/* A number as a FHIRPath literal; false for one FHIRPath cannot write
 * (NaN, infinities, exponents). */
static bool put_number(ik_buf *b, double d)
{
    char t[32];

    if (!isfinite(d))
        return false;
    ik_num_format(d, t);
    if (strchr(t, 'e'))
        return false;
    if (t[0] == '-')
        ik_buf_printf(b, "(%s)", t);
    else
        ik_buf_puts(b, t);
    return true;
}

/* text, parenthesised unless atomic */
static void put_operand(ik_buf *b, const char *text, const fx *x)
{
    if (x->atomic) {
        ik_buf_puts(b, text);
        return;
    }
    ik_buf_putc(b, '(');
    ik_buf_puts(b, text);
    ik_buf_putc(b, ')');
}

static const char *cstr(ik_buf *b)
{
    const char *s = ik_buf_cstr(b);
    return s ? s : "";
}

/* ---- The walk ---- */

typedef struct walk {
    ik_fhirpath *fp;
    ik_error *err;
} walk;

static ik_status tr(walk *w, ik_expr e, ik_buf *o, fx *x);

static ik_status refuse_op(walk *w, const char *op)
{
    return ik_fail(w->err, IK_ELOGIC, "'%s' has no FHIRPath form here", op);
}

/* The answers of question q in the response the renderer builds. */
static void put_answers(ik_buf *o, const ik_question *q)
{
    ik_buf_puts(o, "%resource.item.where(linkId = ");
    put_string_literal(o, q->id, strlen(q->id));
    ik_buf_puts(o, ").answer");
}

static ik_status tr_question(walk *w, uint32_t qi, ik_buf *o, fx *x)
{
    const ik_question *q = &w->fp->rb->questions[qi];

    x->atomic = true;
    x->total = false;
    x->q = qi;
    x->v = qi;
    put_answers(o, q);
    switch (q->type) {
    case IK_Q_YES_NO:
        x->kind = q->allow_unknown ? FK_YNU : FK_YN;
        ik_buf_puts(o, q->allow_unknown ? ".value.code" : ".value");
        return IK_OK;
    case IK_Q_CHOICE:
        x->kind = FK_CODE;
        ik_buf_puts(o, ".value.code");
        return IK_OK;
    case IK_Q_MULTI:
        x->kind = FK_CODES;
        ik_buf_puts(o, ".value.code.where($this != '" IK_FHIR_CODE_NONE
                       "')");
        return IK_OK;
    case IK_Q_NUMBER:
        x->kind = FK_NUM;
        ik_buf_puts(o, ".value");
        return IK_OK;
    case IK_Q_TEXT:
        x->kind = FK_STR;
        ik_buf_puts(o, ".value");
        return IK_OK;
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return ik_fail(w->err, IK_ELOGIC,
                   "the information item '%s' has no value in FHIR", q->id);
}

static ik_status tr_derived(walk *w, uint32_t di, ik_buf *o, fx *x)
{
    ik_fhirpath *fp = w->fp;
    const ik_derived *d = &fp->rb->derived[di];
    dv *v = &fp->d[di];
    ik_buf t;
    ik_status st;
    int i;

    for (i = 0; reserved[i]; i++)
        if (strcmp(d->id, reserved[i]) == 0)
            return ik_fail(w->err, IK_ELOGIC,
                           "derived value '%s': the name is reserved in "
                           "FHIRPath (%%%s)",
                           d->id, d->id);
    if (v->state == D_BUSY)
        return ik_fail(w->err, IK_ELOGIC, "derived value '%s' reads itself",
                       d->id);
    if (v->state == D_UNSEEN) {
        v->state = D_BUSY;
        ik_buf_init(&t);
        memset(&v->x, 0, sizeof v->x);
        st = tr(w, d->value, &t, &v->x);
        if (st == IK_OK && ik_buf_status(&t) != IK_OK)
            st = ik_fail(w->err, IK_ENOMEM, "out of memory");
        if (st == IK_OK) {
            v->text = ik_malloc(t.len + 1);
            if (!v->text)
                st = ik_fail(w->err, IK_ENOMEM, "out of memory");
            else
                memcpy(v->text, cstr(&t), t.len + 1);
        }
        ik_buf_fini(&t);
        if (st != IK_OK) {
            v->state = D_UNSEEN;
            if (st == IK_ELOGIC) {
                char why[sizeof w->err->msg];
                memcpy(why, w->err->msg, sizeof why);
                return ik_fail(w->err, IK_ELOGIC, "derived value '%s': %s",
                               d->id, why);
            }
            return st;
        }
        v->state = D_OK;
        fp->order[fp->norder++] = di;
    }
    *x = v->x;
    x->atomic = true;
    ik_buf_puts(o, "%`");
    ik_fhirpath_var_name(o, d->id);
    ik_buf_putc(o, '`');
    return IK_OK;
}

static ik_status tr_var(walk *w, ik_expr e, const ik_logic_node *n, ik_buf *o,
                        fx *x)
{
    ik_fhirpath *fp = w->fp;

    (void)e;
    if (n->slot == UINT32_MAX || n->slot >= fp->nslots)
        return ik_fail(w->err, IK_ELOGIC,
                       "a var that names a path or a computed name has no "
                       "FHIRPath form here");
    if (n->nkids)
        return ik_fail(w->err, IK_ELOGIC,
                       "a var with a default ('%s') has no FHIRPath form here",
                       ik_logic_slot_name(fp->rb->logic, n->slot));
    if (fp->qof[n->slot] != IK_NONE)
        return tr_question(w, fp->qof[n->slot], o, x);
    if (fp->dof[n->slot] != IK_NONE)
        return tr_derived(w, fp->dof[n->slot], o, x);
    return ik_fail(w->err, IK_ELOGIC, "'%s' is neither a question nor a "
                                      "derived value",
                   ik_logic_slot_name(fp->rb->logic, n->slot));
}

static ik_status tr_const(walk *w, ik_value v, ik_buf *o, fx *x)
{
    x->atomic = true;
    x->total = true;
    x->q = x->v = IK_NONE;
    switch (v.kind) {
    case IK_BOOL:
        x->kind = FK_BOOL;
        ik_buf_puts(o, v.u.b ? "true" : "false");
        return IK_OK;
    case IK_NUM:
        x->kind = FK_NUM;
        if (put_number(o, v.u.num))
            return IK_OK;
        return ik_fail(w->err, IK_ELOGIC,
                       "the number has no FHIRPath literal form");
    case IK_STR:
        x->kind = FK_STR;
        put_string_literal(o, v.u.str, v.len);
        return IK_OK;
    case IK_NULL:
    case IK_UNDEF:
        x->kind = FK_NULL;
        x->total = false;
        ik_buf_puts(o, "{}");
        return IK_OK;
    default:
        break;
    }
    return ik_fail(w->err, IK_ELOGIC,
                   "a constant array or object has no FHIRPath form here");
}

/* The truthiness of text (of kind x), always true or false. */
static void put_truth(ik_buf *o, const char *text, const fx *x)
{
    switch (x->kind) {
    case FK_BOOL:
    case FK_TRUTHY:
        ik_buf_puts(o, text);
        return;
    case FK_NULL:
        ik_buf_puts(o, "false");
        return;
    default:
        break;
    }
    put_operand(o, text, x);
    switch (x->kind) {
    case FK_YN:
        ik_buf_puts(o, ".where($this = true).exists()");
        break;
    case FK_YNU:
        ik_buf_puts(o, ".where($this != '" IK_FHIR_CODE_NO "').exists()");
        break;
    case FK_NUM:
        ik_buf_puts(o, ".where($this != 0).exists()");
        break;
    case FK_STR:
        ik_buf_puts(o, ".where($this != '').exists()");
        break;
    default: /* CODE, CODES: any code is a non-empty string */
        ik_buf_puts(o, ".exists()");
    }
}

/* Translate e as a condition into o. */
static ik_status tr_truth(walk *w, ik_expr e, ik_buf *o, fx *x)
{
    ik_buf t;
    ik_status st;

    ik_buf_init(&t);
    st = tr(w, e, &t, x);
    if (st == IK_OK)
        put_truth(o, cstr(&t), x);
    ik_buf_fini(&t);
    x->kind = FK_BOOL;
    x->total = true;
    x->atomic = false;
    return st;
}

/* One member m of a constant, as the value X of kind x holds it: the
 * FHIRPath literal, or false when X can never strictly equal m. */
static bool member(const walk *w, const fx *x, ik_value m, ik_buf *lit)
{
    const ik_question *q =
        x->q != IK_NONE ? &w->fp->rb->questions[x->q] : NULL;
    uint32_t i;

    switch (x->kind) {
    case FK_YN:
    case FK_BOOL:
        if (m.kind != IK_BOOL)
            return false;
        ik_buf_puts(lit, m.u.b ? "true" : "false");
        return true;
    case FK_YNU:
        if (m.kind == IK_BOOL) {
            ik_buf_puts(lit, m.u.b ? "'" IK_FHIR_CODE_YES "'"
                                   : "'" IK_FHIR_CODE_NO "'");
            return true;
        }
        if (m.kind == IK_STR && m.len == 7 && memcmp(m.u.str, "unknown", 7) == 0) {
            ik_buf_puts(lit, "'" IK_FHIR_CODE_UNKNOWN "'");
            return true;
        }
        return false;
    case FK_CODE:
    case FK_CODES:
        if (m.kind != IK_STR || !q)
            return false;
        for (i = 0; i < q->noptions; i++)
            if (strlen(q->options[i].value) == m.len &&
                memcmp(q->options[i].value, m.u.str, m.len) == 0) {
                ik_buf_putc(lit, '\'');
                ik_fhir_option_code(lit, q, m.u.str, m.len);
                ik_buf_putc(lit, '\'');
                return true;
            }
        return false;
    case FK_NUM:
        return m.kind == IK_NUM && put_number(lit, m.u.num);
    case FK_STR:
        if (m.kind != IK_STR)
            return false;
        put_string_literal(lit, m.u.str, m.len);
        return true;
    default:
        return false;
    }
}

/* Can X (kind x) be compared with constant c without JavaScript
 * converting either side? (Then == and === agree.) */
static bool same_type(const fx *x, ik_value c)
{
    switch (x->kind) {
    case FK_YN:
    case FK_BOOL:
        return c.kind == IK_BOOL;
    case FK_YNU:
        return c.kind == IK_BOOL || c.kind == IK_STR;
    case FK_CODE:
    case FK_STR:
        return c.kind == IK_STR;
    case FK_NUM:
        return c.kind == IK_NUM;
    default:
        return false;
    }
}

/* X == c (X of kind x, text t), always true or false. */
static ik_status put_eq(walk *w, ik_buf *o, const char *t, const fx *x,
                        ik_value c)
{
    ik_buf lit;

    if (c.kind == IK_NULL || c.kind == IK_UNDEF) {
        if (x->kind == FK_BOOL || (x->total && x->kind != FK_TRUTHY)) {
            ik_buf_puts(o, "false");
            return IK_OK;
        }
        if (x->kind == FK_CODES && x->v != IK_NONE) {
            /* "none" is [] in JsonLogic, not null */
            put_answers(o, &w->fp->rb->questions[x->v]);
            ik_buf_puts(o, ".empty()");
            return IK_OK;
        }
        if (x->kind == FK_YN || x->kind == FK_YNU || x->kind == FK_CODE ||
            x->kind == FK_NUM || x->kind == FK_STR) {
            put_operand(o, t, x);
            ik_buf_puts(o, ".empty()");
            return IK_OK;
        }
        return ik_fail(w->err, IK_ELOGIC,
                       "a comparison with null of a value that may not be "
                       "one has no FHIRPath form here");
    }
    if (!same_type(x, c))
        return ik_fail(w->err, IK_ELOGIC,
                       "a comparison that JavaScript answers by converting "
                       "types has no FHIRPath form here");
    if (x->kind == FK_BOOL) {
        put_operand(o, t, x);
        if (!c.u.b)
            ik_buf_puts(o, ".not()");
        return IK_OK;
    }
    ik_buf_init(&lit);
    if (!member(w, x, c, &lit)) {
        ik_buf_puts(o, "false"); /* a value X never takes */
    } else {
        put_operand(o, t, x);
        ik_buf_printf(o, ".where($this = %s).exists()", cstr(&lit));
    }
    ik_buf_fini(&lit);
    return IK_OK;
}

static bool is_const(const walk *w, ik_expr e, ik_value *v)
{
    ik_logic_node n;

    ik_logic_node_get(w->fp->rb->logic, e, &n);
    *v = n.cst;
    return n.kind == IK_LN_CONST;
}

/* == === != !== */
static ik_status tr_equality(walk *w, ik_expr e, const ik_logic_node *n,
                             bool negate, ik_buf *o, fx *x)
{
    const ik_logic *lg = w->fp->rb->logic;
    ik_expr a, b;
    ik_value c;
    ik_buf t;
    fx y;
    ik_status st;

    if (n->nkids != 2)
        return refuse_op(w, n->op);
    a = ik_logic_node_kid(lg, e, 0);
    b = ik_logic_node_kid(lg, e, 1);
    if (!is_const(w, b, &c)) {
        ik_expr s = a;
        a = b;
        b = s;
        if (!is_const(w, b, &c))
            return ik_fail(w->err, IK_ELOGIC,
                           "'%s' of two computed values has no FHIRPath "
                           "form here",
                           n->op);
    }
    ik_buf_init(&t);
    memset(&y, 0, sizeof y);
    st = tr(w, a, &t, &y);
    if (st == IK_OK) {
        if (negate)
            ik_buf_putc(o, '(');
        st = put_eq(w, o, cstr(&t), &y, c);
        if (negate)
            ik_buf_puts(o, ").not()");
    }
    ik_buf_fini(&t);
    x->kind = FK_BOOL;
    x->total = true;
    x->atomic = false;
    return st;
}

/* A number for arithmetic and order: JavaScript reads null as 0. */
static void put_num0(ik_buf *o, const char *t, const fx *x)
{
    if (x->total || x->kind == FK_NULL) {
        ik_buf_puts(o, x->kind == FK_NULL ? "0" : t);
        return;
    }
    ik_buf_puts(o, "iif(");
    put_operand(o, t, x);
    ik_buf_puts(o, ".exists(), ");
    put_operand(o, t, x);
    ik_buf_puts(o, ", 0)");
}

/* < <= > >= (and the three-operand between of < and <=) */
static ik_status tr_order(walk *w, ik_expr e, const ik_logic_node *n,
                          ik_buf *o, fx *x)
{
    const ik_logic *lg = w->fp->rb->logic;
    ik_buf t[3];
    fx y[3];
    uint32_t i, k = n->nkids;
    ik_status st = IK_OK;
    const char *op = n->op;

    if (k != 2 && !(k == 3 && (strcmp(op, "<") == 0 || strcmp(op, "<=") == 0)))
        return refuse_op(w, op);
    for (i = 0; i < k; i++)
        ik_buf_init(&t[i]);
    for (i = 0; i < k && st == IK_OK; i++) {
        memset(&y[i], 0, sizeof y[i]);
        st = tr(w, ik_logic_node_kid(lg, e, i), &t[i], &y[i]);
        if (st == IK_OK && y[i].kind != FK_NUM && y[i].kind != FK_NULL)
            st = ik_fail(w->err, IK_ELOGIC,
                         "'%s' of a value that is not a number has no "
                         "FHIRPath form here",
                         op);
    }
    if (st == IK_OK) {
        ik_buf_putc(o, '(');
        for (i = 0; i + 1 < k; i++) {
            if (i)
                ik_buf_puts(o, " and ");
            put_num0(o, cstr(&t[i]), &y[i]);
            ik_buf_printf(o, " %s ", op);
            put_num0(o, cstr(&t[i + 1]), &y[i + 1]);
        }
        ik_buf_putc(o, ')');
    }
    for (i = 0; i < k; i++)
        ik_buf_fini(&t[i]);
    x->kind = FK_BOOL;
    x->total = true;
    x->atomic = false;
    return st;
}

/* in: a value in a constant array, or a constant in a multi answer or a
 * text */
static ik_status tr_in(walk *w, ik_expr e, const ik_logic_node *n, ik_buf *o,
                       fx *x)
{
    const ik_logic *lg = w->fp->rb->logic;
    ik_expr a, b;
    ik_value c;
    ik_buf t, lit, one;
    fx y;
    ik_status st;
    uint32_t i, nm = 0;
    bool has_null = false;

    x->kind = FK_BOOL;
    x->total = true;
    x->atomic = false;
    if (n->nkids != 2)
        return refuse_op(w, "in");
    a = ik_logic_node_kid(lg, e, 0);
    b = ik_logic_node_kid(lg, e, 1);
    ik_buf_init(&t);
    ik_buf_init(&lit);
    ik_buf_init(&one);
    memset(&y, 0, sizeof y);
    if (is_const(w, b, &c) && c.kind == IK_ARR) {
        st = tr(w, a, &t, &y);
        if (st == IK_OK && y.kind != FK_YN && y.kind != FK_YNU &&
            y.kind != FK_CODE && y.kind != FK_NUM && y.kind != FK_STR &&
            y.kind != FK_BOOL)
            st = ik_fail(w->err, IK_ELOGIC,
                         "'in' of this value in a list has no FHIRPath "
                         "form here");
        for (i = 0; st == IK_OK && i < c.len; i++) {
            ik_buf_clear(&one);
            if (c.u.items[i].kind == IK_NULL)
                has_null = true;
            else if (member(w, &y, c.u.items[i], &one)) {
                ik_buf_printf(&lit, "%s$this = %s", nm ? " or " : "",
                              cstr(&one));
                nm++;
            }
        }
        if (st == IK_OK) {
            if (has_null && !y.total)
                ik_buf_putc(o, '(');
            if (!nm) {
                ik_buf_puts(o, "false");
            } else {
                put_operand(o, cstr(&t), &y);
                ik_buf_printf(o, ".where(%s).exists()", cstr(&lit));
            }
            if (has_null && !y.total) {
                ik_buf_puts(o, " or ");
                st = put_eq(w, o, cstr(&t), &y, ik_null());
                ik_buf_putc(o, ')');
            }
        }
    } else if (is_const(w, a, &c) && c.kind == IK_STR) {
        st = tr(w, b, &t, &y);
        if (st == IK_OK && y.kind == FK_CODES) {
            if (member(w, &y, c, &lit)) {
                put_operand(o, cstr(&t), &y);
                ik_buf_printf(o, ".where($this = %s).exists()", cstr(&lit));
            } else {
                ik_buf_puts(o, "false");
            }
        } else if (st == IK_OK && y.kind == FK_STR && c.len > 0) {
            put_string_literal(&lit, c.u.str, c.len);
            put_operand(o, cstr(&t), &y);
            ik_buf_printf(o, ".where($this.contains(%s)).exists()",
                          cstr(&lit));
        } else if (st == IK_OK) {
            st = ik_fail(w->err, IK_ELOGIC,
                         "'in' of text in this value has no FHIRPath form "
                         "here");
        }
    } else {
        st = ik_fail(w->err, IK_ELOGIC,
                     "'in' is translated only for a value in a list of "
                     "constants, or a constant in an answer");
    }
    if (ik_buf_status(&lit) != IK_OK || ik_buf_status(&one) != IK_OK)
        o->oom = true;
    ik_buf_fini(&t);
    ik_buf_fini(&lit);
    ik_buf_fini(&one);
    return st;
}

/* and, or */
static ik_status tr_andor(walk *w, ik_expr e, const ik_logic_node *n,
                          bool is_and, ik_buf *o, fx *x)
{
    const ik_logic *lg = w->fp->rb->logic;
    ik_buf *parts, t;
    fx y;
    uint32_t i;
    bool all_bool = true;
    ik_status st = IK_OK;

    if (n->nkids == 0)
        return refuse_op(w, n->op);
    if (n->nkids == 1)
        return tr(w, ik_logic_node_kid(lg, e, 0), o, x);
    parts = ik_calloc(n->nkids, sizeof *parts);
    if (!parts)
        return ik_fail(w->err, IK_ENOMEM, "out of memory");
    for (i = 0; i < n->nkids && st == IK_OK; i++) {
        ik_buf_init(&t);
        ik_buf_init(&parts[i]);
        memset(&y, 0, sizeof y);
        st = tr(w, ik_logic_node_kid(lg, e, i), &t, &y);
        if (st == IK_OK) {
            if (y.kind != FK_BOOL)
                all_bool = false;
            put_truth(&parts[i], cstr(&t), &y);
            if (y.kind == FK_BOOL || y.kind == FK_TRUTHY) {
                /* an and/or inside needs its parentheses */
                ik_buf_clear(&parts[i]);
                put_operand(&parts[i], cstr(&t), &y);
            }
        }
        ik_buf_fini(&t);
    }
    if (st == IK_OK)
        for (i = 0; i < n->nkids; i++) {
            if (i)
                ik_buf_puts(o, is_and ? " and " : " or ");
            ik_buf_puts(o, cstr(&parts[i]));
            if (ik_buf_status(&parts[i]) != IK_OK)
                o->oom = true;
        }
    for (i = 0; i < n->nkids; i++)
        ik_buf_fini(&parts[i]);
    ik_free(parts);
    x->kind = all_bool ? FK_BOOL : FK_TRUTHY;
    x->total = true;
    x->atomic = false;
    x->q = x->v = IK_NONE;
    return st;
}

/* if / ?: as nested iif() */
static ik_status tr_if(walk *w, ik_expr e, const ik_logic_node *n, ik_buf *o,
                       fx *x)
{
    const ik_logic *lg = w->fp->rb->logic;
    uint32_t i, k = n->nkids, opened = 0;
    ik_buf t;
    fx y, c;
    fk kind = FK_NULL;
    bool total = true, mixed = false, first = true;
    ik_status st = IK_OK;

    if (k == 0)
        return tr_const(w, ik_null(), o, x);
    if (k == 1)
        return tr(w, ik_logic_node_kid(lg, e, 0), o, x);
    /* the kind of the result: that of every branch */
    ik_buf_init(&t);
    /* the values sit at 1, 3, 5...; an odd count ends with the else */
    for (i = 1; i < k + 1 && st == IK_OK; i += 2) {
        uint32_t at = i < k ? i : k - 1;
        if (i >= k && k % 2 == 0)
            break;
        ik_buf_clear(&t);
        memset(&y, 0, sizeof y);
        st = tr(w, ik_logic_node_kid(lg, e, at), &t, &y);
        if (st != IK_OK)
            break;
        if (!y.total)
            total = false;
        if (first)
            kind = y.kind;
        else if (y.kind != kind)
            mixed = true;
        first = false;
    }
    if (k % 2 == 0)
        total = false; /* no else: null */
    if (st == IK_OK && (mixed || (kind != FK_BOOL && kind != FK_NUM)))
        kind = FK_TRUTHY; /* only its truthiness is kept */
    for (i = 0; st == IK_OK && i + 1 < k; i += 2) {
        ik_buf_clear(&t);
        memset(&c, 0, sizeof c);
        ik_buf_puts(o, "iif(");
        st = tr_truth(w, ik_logic_node_kid(lg, e, i), o, &c);
        ik_buf_puts(o, ", ");
        memset(&y, 0, sizeof y);
        if (st == IK_OK)
            st = tr(w, ik_logic_node_kid(lg, e, i + 1), &t, &y);
        if (st == IK_OK) {
            if (kind == FK_TRUTHY)
                put_truth(o, cstr(&t), &y);
            else
                ik_buf_puts(o, cstr(&t));
        }
        ik_buf_puts(o, ", ");
        opened++;
    }
    if (st == IK_OK) {
        if (k % 2 == 1) {
            ik_buf_clear(&t);
            memset(&y, 0, sizeof y);
            st = tr(w, ik_logic_node_kid(lg, e, k - 1), &t, &y);
            if (st == IK_OK) {
                if (kind == FK_TRUTHY)
                    put_truth(o, cstr(&t), &y);
                else
                    ik_buf_puts(o, cstr(&t));
            }
        } else {
            ik_buf_puts(o, kind == FK_TRUTHY ? "false" : "{}");
        }
    }
    for (i = 0; i < opened; i++)
        ik_buf_putc(o, ')');
    ik_buf_fini(&t);
    x->kind = kind;
    x->total = kind == FK_TRUTHY || total;
    x->atomic = false;
    x->q = x->v = IK_NONE;
    return st;
}

/* + - * / % max min over numbers that are always there (JavaScript's
 * parseFloat makes a missing one NaN, which FHIRPath cannot hold) */
static ik_status tr_arith(walk *w, ik_expr e, const ik_logic_node *n,
                          ik_buf *o, fx *x)
{
    const ik_logic *lg = w->fp->rb->logic;
    ik_buf *t;
    fx y;
    uint32_t i, k = n->nkids;
    ik_status st = IK_OK;
    const char *op = n->op;
    bool minmax = strcmp(op, "max") == 0 || strcmp(op, "min") == 0;
    ik_value c;

    if (k == 0 || k > 16 ||
        ((strcmp(op, "/") == 0 || strcmp(op, "%") == 0) && k != 2) ||
        (strcmp(op, "-") == 0 && k > 2))
        return refuse_op(w, op);
    if ((strcmp(op, "/") == 0 || strcmp(op, "%") == 0) &&
        (!is_const(w, ik_logic_node_kid(lg, e, 1), &c) || c.kind != IK_NUM ||
         c.u.num == 0))
        return ik_fail(w->err, IK_ELOGIC,
                       "'%s' is translated only by a constant other than 0",
                       op);
    t = ik_calloc(k, sizeof *t);
    if (!t)
        return ik_fail(w->err, IK_ENOMEM, "out of memory");
    for (i = 0; i < k; i++)
        ik_buf_init(&t[i]);
    for (i = 0; i < k && st == IK_OK; i++) {
        memset(&y, 0, sizeof y);
        st = tr(w, ik_logic_node_kid(lg, e, i), &t[i], &y);
        if (st == IK_OK && (y.kind != FK_NUM || !y.total))
            st = ik_fail(w->err, IK_ELOGIC,
                         "'%s' of a value that may be missing or not a "
                         "number has no FHIRPath form here",
                         op);
    }
    if (st == IK_OK) {
        if (minmax) {
            /* max(a, b, c) = iif(a > b, a, b) folded left: the value of
             * the running result is written again, so keep k small */
            ik_buf acc;
            ik_buf_init(&acc);
            ik_buf_puts(&acc, cstr(&t[0]));
            for (i = 1; i < k; i++) {
                ik_buf nx;
                ik_buf_init(&nx);
                ik_buf_printf(&nx, "iif((%s) %s (%s), %s, %s)", cstr(&acc),
                              op[1] == 'a' ? ">" : "<", cstr(&t[i]),
                              cstr(&acc), cstr(&t[i]));
                ik_buf_fini(&acc);
                acc = nx;
            }
            ik_buf_puts(o, cstr(&acc));
            if (ik_buf_status(&acc) != IK_OK)
                o->oom = true;
            ik_buf_fini(&acc);
        } else {
            const char *fop = strcmp(op, "%") == 0 ? "mod" : op;
            ik_buf_putc(o, '(');
            if (k == 1 && op[0] == '-')
                ik_buf_puts(o, "0 - ");
            for (i = 0; i < k; i++) {
                if (i)
                    ik_buf_printf(o, " %s ", fop);
                ik_buf_printf(o, "(%s)", cstr(&t[i]));
            }
            ik_buf_putc(o, ')');
        }
    }
    for (i = 0; i < k; i++)
        ik_buf_fini(&t[i]);
    ik_free(t);
    x->kind = FK_NUM;
    x->total = true;
    x->atomic = false;
    x->q = x->v = IK_NONE;
    return st;
}

static ik_status tr(walk *w, ik_expr e, ik_buf *o, fx *x)
{
    ik_logic_node n;
    const char *op;

    ik_logic_node_get(w->fp->rb->logic, e, &n);
    x->q = x->v = IK_NONE;
    switch (n.kind) {
    case IK_LN_CONST:
        return tr_const(w, n.cst, o, x);
    case IK_LN_VAR:
        return tr_var(w, e, &n, o, x);
    case IK_LN_ARRAY:
        return ik_fail(w->err, IK_ELOGIC,
                       "an array of computed items has no FHIRPath form "
                       "here");
    case IK_LN_OP:
        break;
    }
    op = n.op;
    if (strcmp(op, "==") == 0 || strcmp(op, "===") == 0)
        return tr_equality(w, e, &n, false, o, x);
    if (strcmp(op, "!=") == 0 || strcmp(op, "!==") == 0)
        return tr_equality(w, e, &n, true, o, x);
    if (strcmp(op, "<") == 0 || strcmp(op, "<=") == 0 ||
        strcmp(op, ">") == 0 || strcmp(op, ">=") == 0)
        return tr_order(w, e, &n, o, x);
    if (strcmp(op, "in") == 0)
        return tr_in(w, e, &n, o, x);
    if (strcmp(op, "and") == 0 || strcmp(op, "or") == 0)
        return tr_andor(w, e, &n, op[0] == 'a', o, x);
    if (strcmp(op, "!") == 0 || strcmp(op, "!!") == 0) {
        ik_status st;
        if (n.nkids == 0)
            return tr_const(w, ik_bool(op[1] != '!'), o, x);
        if (op[1] != '!')
            ik_buf_putc(o, '(');
        st = tr_truth(w, ik_logic_node_kid(w->fp->rb->logic, e, 0), o, x);
        if (op[1] != '!')
            ik_buf_puts(o, ").not()");
        return st;
    }
    if (strcmp(op, "if") == 0 || strcmp(op, "?:") == 0)
        return tr_if(w, e, &n, o, x);
    if (strcmp(op, "+") == 0 || strcmp(op, "-") == 0 ||
        strcmp(op, "*") == 0 || strcmp(op, "/") == 0 ||
        strcmp(op, "%") == 0 || strcmp(op, "max") == 0 ||
        strcmp(op, "min") == 0)
        return tr_arith(w, e, &n, o, x);
    return refuse_op(w, op);
}

ik_status ik_fhirpath_condition(ik_fhirpath *fp, ik_expr e, ik_buf *b,
                                ik_error *err)
{
    walk w = {fp, err};
    fx x;
    size_t len = b->len;
    ik_status st;

    memset(&x, 0, sizeof x);
    st = tr_truth(&w, e, b, &x);
    if (st == IK_OK && ik_buf_status(b) != IK_OK)
        st = ik_fail(err, IK_ENOMEM, "out of memory");
    if (st != IK_OK && b->len > len)
        b->len = len;
    return st;
}
