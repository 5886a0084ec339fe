/*
 * graph.c -- write a rule pack's flow as Graphviz dot or Mermaid.
 * Reads the compiled rulebook (ids, texts, the slots each condition reads);
 * writes only into the caller's ik_buf. No I/O, and one pass per part of
 * the pack, so the cost grows linearly with the pack.
 */
#include "graph.h"

#include "deps.h"
#include "error.h"

#include <string.h>

enum { LABEL_MAX = 40 }; /* bytes of question or section text in a label */

typedef enum edge_style {
    EDGE_ASKS,    /* dashed, not ranked: a question asked only when ... */
    EDGE_ENABLES, /* dashed: the target is asked/shown only when ... */
    EDGE_READS,   /* thin: the target's condition reads the source */
    EDGE_FLAG,    /* red: an input of a red flag, or a flag's disposition */
    EDGE_LEADS    /* bold: a rung, rule or flag leads to this */
} edge_style;

typedef struct graph {
    const ik_rulebook *rb;
    ik_graph_format fmt;
    ik_buf *b;
} graph;

bool ik_graph_format_parse(const char *name, ik_graph_format *fmt)
{
    if (strcmp(name, "dot") == 0)
        *fmt = IK_GRAPH_DOT;
    else if (strcmp(name, "mermaid") == 0)
        *fmt = IK_GRAPH_MERMAID;
    else
        return false;
    return true;
}

/* ---- Labels ---- */

/* Append s, at most max bytes (cut on a UTF-8 boundary, then "..."),
 * escaped for the output format; newlines become spaces. */
static void put_label_text(graph *g, const char *s, size_t max)
{
    size_t n = strlen(s), i;
    bool cut = false;

    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (g->fmt == IK_GRAPH_DOT) {
            if (c == '"' || c == '\\')
                ik_buf_putc(g->b, '\\');
            ik_buf_putc(g->b, c);
        } else if (c == '"') {
            ik_buf_puts(g->b, "#quot;");
        } else if (c == '<') {
            ik_buf_puts(g->b, "#lt;");
        } else if (c == '>') {
            ik_buf_puts(g->b, "#gt;");
        } else if (c == '#') {
            ik_buf_puts(g->b, "#35;");
        } else {
            ik_buf_putc(g->b, c);
        }
    }
    if (cut)
        ik_buf_puts(g->b, "...");
}

static void put_line_break(graph *g)
{
    ik_buf_puts(g->b, g->fmt == IK_GRAPH_DOT ? "\\n" : "<br/>");
}

static const char *type_name(ik_qtype t)
{
    static const char *const names[IK_Q__COUNT] = {"yes/no", "choice", "multi",
                                                   "number", "text",   "info"};
    return t < IK_Q__COUNT ? names[t] : "?";
}

/* ---- Nodes and edges ---- */

typedef enum node_kind {
    NODE_QUESTION,
    NODE_DERIVED,
    NODE_RED_FLAG,
    NODE_DISPOSITION,
    NODE_RUNG,
    NODE_RULE,
    NODE_SECTION
} node_kind;

static const char *const node_prefix[] = {"q_",    "d_",    "rf_", "disp_",
                                          "rung_", "rule_", "s_"};

/* Mermaid shapes: open and close of the label per kind. */
static const char *const mm_open[] = {"[\"",  "[/\"", "{{\"", "([\"",
                                      "[[\"", "[\"",  "[\""};
static const char *const mm_close[] = {"\"]",  "\"/]", "\"}}", "\"])",
                                       "\"]]", "\"]",  "\"]"};
static const char *const mm_class[] = {
    "question", "derived", "redflag", "disposition", "rung", "rule", "section"};

static void put_id(graph *g, node_kind k, const char *id)
{
    ik_buf_puts(g->b, node_prefix[k]);
    ik_buf_puts(g->b, id);
}

static void begin_node(graph *g, node_kind k, const char *id)
{
    ik_buf_puts(g->b, "    ");
    put_id(g, k, id);
    ik_buf_puts(g->b, g->fmt == IK_GRAPH_DOT ? " [label=\"" : mm_open[k]);
}

static void end_node(graph *g, node_kind k)
{
    if (g->fmt == IK_GRAPH_DOT) {
        ik_buf_puts(g->b, "\"];\n");
    } else {
        ik_buf_puts(g->b, mm_close[k]);
        ik_buf_printf(g->b, ":::%s\n", mm_class[k]);
    }
}

/* A node labelled "first line" / "second line" (second may be NULL). */
static void node(graph *g, node_kind k, const char *id, const char *line1,
                 const char *line2)
{
    begin_node(g, k, id);
    put_label_text(g, line1, LABEL_MAX);
    if (line2 && line2[0]) {
        put_line_break(g);
        put_label_text(g, line2, LABEL_MAX);
    }
    end_node(g, k);
}

static void edge(graph *g, node_kind from, const char *from_id, node_kind to,
                 const char *to_id, edge_style style)
{
    static const char *const dot_attr[] = {
        " [style=dashed, constraint=false]", " [style=dashed]", "",
        " [color=\"#cc0000\"]", " [style=bold, color=\"#333333\"]"};
    static const char *const mm_arrow[] = {" -.-> ", " -.-> ", " --> ", " --> ",
                                           " ==> "};

    ik_buf_puts(g->b, "  ");
    put_id(g, from, from_id);
    ik_buf_puts(g->b, g->fmt == IK_GRAPH_DOT ? " -> " : mm_arrow[style]);
    put_id(g, to, to_id);
    if (g->fmt == IK_GRAPH_DOT)
        ik_buf_puts(g->b, dot_attr[style]);
    ik_buf_puts(g->b, g->fmt == IK_GRAPH_DOT ? ";\n" : "\n");
}

/* An edge from every question or derived value the condition of (owner,
 * i) reads (the pack's dependency model) to (to, id). */
static void edges_from_reads(graph *g, ik_owner owner, uint32_t i, node_kind to,
                             const char *to_id, edge_style style)
{
    const ik_rulebook *rb = g->rb;
    ik_span r = ik_deps_reads(rb->deps, owner, i);
    uint32_t k;

    for (k = 0; k < r.n; k++) {
        uint32_t s = r.items[k];

        if (s < rb->nquestions)
            edge(g, NODE_QUESTION, rb->questions[s].id, to, to_id, style);
        else if (s - rb->nquestions < rb->nderived)
            edge(g, NODE_DERIVED, rb->derived[s - rb->nquestions].id, to, to_id,
                 style);
    }
}

/* ---- Clusters ---- */

/* dot_style: the cluster's own attributes; dot_node: its nodes'. */
static void begin_cluster(graph *g, const char *name, const char *title,
                          const char *dot_style, const char *dot_node)
{
    if (g->fmt == IK_GRAPH_DOT) {
        ik_buf_printf(g->b, "  subgraph cluster_%s {\n    label=\"%s\";\n",
                      name, title);
        ik_buf_printf(g->b, "    %s\n", dot_style);
        if (dot_node)
            ik_buf_printf(g->b, "    node [%s];\n", dot_node);
    } else {
        ik_buf_printf(g->b, "  subgraph cluster_%s[\"%s\"]\n", name, title);
    }
}

static void end_cluster(graph *g)
{
    ik_buf_puts(g->b, g->fmt == IK_GRAPH_DOT ? "  }\n" : "  end\n");
}

static void questions_cluster(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i;

    if (rb->nquestions == 0)
        return;
    begin_cluster(g, "questions", "Questions",
                  "style=rounded; color=\"#7a8ca5\";", NULL);
    for (i = 0; i < rb->nquestions; i++) {
        const ik_question *q = &rb->questions[i];

        begin_node(g, NODE_QUESTION, q->id);
        put_label_text(g, ik_text_get(&q->text, IK_AUD_PATIENT), LABEL_MAX);
        put_line_break(g);
        put_label_text(g, q->id, LABEL_MAX);
        ik_buf_printf(g->b, " (%s)", type_name(q->type));
        end_node(g, NODE_QUESTION);
    }
    end_cluster(g);
}

static void derived_cluster(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i;

    if (rb->nderived == 0)
        return;
    begin_cluster(g, "derived", "Derived values",
                  "style=rounded; color=\"#7a8ca5\";", "fillcolor=\"#f4f4f4\"");
    for (i = 0; i < rb->nderived; i++)
        node(g, NODE_DERIVED, rb->derived[i].id, rb->derived[i].id, NULL);
    end_cluster(g);
}

static void red_flags_cluster(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i;

    if (rb->nred_flags == 0)
        return;
    begin_cluster(g, "red_flags", "Red flags",
                  "style=\"rounded,filled\"; color=\"#cc0000\"; "
                  "fillcolor=\"#fff4f4\"; penwidth=2;",
                  "shape=octagon, fillcolor=\"#ffd6d6\", color=\"#cc0000\"");
    for (i = 0; i < rb->nred_flags; i++) {
        const ik_red_flag *f = &rb->red_flags[i];

        node(g, NODE_RED_FLAG, f->id, f->id,
             f->act == IK_ACT_STOP    ? "stops the interview"
             : f->act == IK_ACT_ALERT ? "alerts at once"
                                      : NULL);
    }
    end_cluster(g);
}

static void dispositions_cluster(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i;

    begin_cluster(g, "dispositions", "Dispositions (most urgent first)",
                  "style=rounded; color=\"#7a8ca5\";", "fillcolor=\"#fff3c4\"");
    for (i = 0; i < rb->ndispositions; i++) {
        const ik_disposition *d = &rb->dispositions[i];

        node(g, NODE_DISPOSITION, d->id, d->id,
             ik_text_get(&d->label, IK_AUD_PATIENT));
    }
    end_cluster(g);
}

static void ladder_cluster(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i;

    if (rb->nladder == 0)
        return;
    begin_cluster(g, "ladder", "Treatment ladder",
                  "style=rounded; color=\"#7a8ca5\";", "fillcolor=\"#e3f4e3\"");
    for (i = 0; i < rb->nladder; i++) {
        const ik_rung *r = &rb->ladder[i];

        node(g, NODE_RUNG, r->id, r->id,
             ik_text_get(&r->label, IK_AUD_PATIENT));
    }
    end_cluster(g);
}

static void rules_cluster(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i;

    if (rb->nrules == 0)
        return;
    begin_cluster(g, "rules", "Rules", "style=rounded; color=\"#7a8ca5\";",
                  "shape=hexagon, fillcolor=\"#f0e8fb\"");
    for (i = 0; i < rb->nrules; i++)
        node(g, NODE_RULE, rb->rules[i].id, rb->rules[i].id, NULL);
    end_cluster(g);
}

static void sections_cluster(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i;

    if (rb->nsections == 0)
        return;
    begin_cluster(g, "sections", "Sections to read",
                  "style=rounded; color=\"#7a8ca5\";",
                  "shape=note, style=filled, fillcolor=\"#ffffff\"");
    for (i = 0; i < rb->nsections; i++) {
        const ik_section *s = &rb->sections[i];

        node(g, NODE_SECTION, s->id, ik_text_get(&s->title, IK_AUD_PATIENT),
             s->id);
    }
    end_cluster(g);
}

/* ---- Edges ---- */

/* Does rung r lead to section s? Named alike, or the section teaches it. */
static bool rung_leads_to(const ik_rung *r, const ik_section *s)
{
    return strcmp(r->id, s->id) == 0 ||
           (s->source && strcmp(r->id, s->source) == 0);
}

static void all_edges(graph *g)
{
    const ik_rulebook *rb = g->rb;
    uint32_t i, k;

    for (i = 0; i < rb->nquestions; i++)
        edges_from_reads(g, IK_OWN_QUESTION, i, NODE_QUESTION,
                         rb->questions[i].id, EDGE_ASKS);
    for (i = 0; i < rb->nderived; i++)
        edges_from_reads(g, IK_OWN_DERIVED, i, NODE_DERIVED, rb->derived[i].id,
                         EDGE_READS);
    for (i = 0; i < rb->nred_flags; i++) {
        const ik_red_flag *f = &rb->red_flags[i];

        edges_from_reads(g, IK_OWN_RED_FLAG, i, NODE_RED_FLAG, f->id,
                         EDGE_FLAG);
        if (f->disposition < rb->ndispositions)
            edge(g, NODE_RED_FLAG, f->id, NODE_DISPOSITION,
                 rb->dispositions[f->disposition].id, EDGE_FLAG);
    }
    for (i = 0; i < rb->nladder; i++) {
        const ik_rung *r = &rb->ladder[i];

        edges_from_reads(g, IK_OWN_RUNG, i, NODE_RUNG, r->id, EDGE_READS);
        if (i + 1 < rb->nladder)
            edge(g, NODE_RUNG, r->id, NODE_RUNG, rb->ladder[i + 1].id,
                 EDGE_LEADS);
        for (k = 0; k < rb->nsections; k++)
            if (rung_leads_to(r, &rb->sections[k]))
                edge(g, NODE_RUNG, r->id, NODE_SECTION, rb->sections[k].id,
                     EDGE_LEADS);
    }
    for (i = 0; i < rb->nrules; i++) {
        const ik_rule *r = &rb->rules[i];

        edges_from_reads(g, IK_OWN_RULE, i, NODE_RULE, r->id, EDGE_READS);
        if (r->disposition < rb->ndispositions)
            edge(g, NODE_RULE, r->id, NODE_DISPOSITION,
                 rb->dispositions[r->disposition].id, EDGE_LEADS);
        for (k = 0; k < r->nsections; k++)
            if (r->sections[k] < rb->nsections)
                edge(g, NODE_RULE, r->id, NODE_SECTION,
                     rb->sections[r->sections[k]].id, EDGE_LEADS);
    }
    for (i = 0; i < rb->nsections; i++)
        edges_from_reads(g, IK_OWN_SECTION, i, NODE_SECTION, rb->sections[i].id,
                         EDGE_ENABLES);
}

/* ---- Whole graph ---- */

static void header(graph *g)
{
    const ik_rulebook *rb = g->rb;

    if (g->fmt == IK_GRAPH_MERMAID) {
        ik_buf_puts(g->b, "flowchart LR\n");
        ik_buf_puts(g->b, "  classDef question fill:#eef3fb,stroke:#7a8ca5\n"
                          "  classDef derived fill:#f4f4f4,stroke:#999999\n"
                          "  classDef redflag fill:#ffd6d6,stroke:#cc0000,"
                          "stroke-width:2px\n"
                          "  classDef disposition fill:#fff3c4,stroke:#b08800\n"
                          "  classDef rung fill:#e3f4e3,stroke:#3d8b3d\n"
                          "  classDef rule fill:#f0e8fb,stroke:#7a5aa5\n"
                          "  classDef section fill:#ffffff,stroke:#7a8ca5\n");
        return;
    }
    ik_buf_puts(g->b, "digraph \"");
    put_label_text(g, rb->id ? rb->id : "pack", 200);
    ik_buf_puts(g->b, "\" {\n  graph [rankdir=LR, concentrate=true, "
                      "fontname=\"Helvetica\", fontsize=12, labelloc=t, "
                      "label=\"");
    put_label_text(g, rb->title ? rb->title : "", 200);
    if (rb->version)
        ik_buf_printf(g->b, " %s", rb->version);
    ik_buf_puts(g->b,
                "\\ndashed: asked or shown only when; bold: leads to; red: red "
                "flag\"];\n"
                "  node [fontname=\"Helvetica\", fontsize=10, shape=box, "
                "style=\"rounded,filled\", fillcolor=\"#eef3fb\"];\n"
                "  edge [color=\"#8899aa\", arrowsize=0.6];\n");
}

ik_status ik_graph_write(const ik_rulebook *rb, ik_graph_format fmt,
                         ik_buf *out, ik_error *err)
{
    graph g = {rb, fmt, out};

    if (fmt >= IK_GRAPH__COUNT)
        return ik_fail(err, IK_EMISUSE, "unknown graph format");
    header(&g);
    questions_cluster(&g);
    derived_cluster(&g);
    red_flags_cluster(&g);
    dispositions_cluster(&g);
    ladder_cluster(&g);
    rules_cluster(&g);
    sections_cluster(&g);
    all_edges(&g);
    if (fmt == IK_GRAPH_DOT)
        ik_buf_puts(out, "}\n");
    if (ik_buf_status(out) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory while drawing the graph");
    return IK_OK;
}
