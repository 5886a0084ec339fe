/*
 * test_graph.c -- dot and Mermaid flow graphs of rule packs: clusters,
 * red flags apart, dependency and outcome edges, escaping, Graphviz
 * accepting the output, out-of-memory handling.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "graph.h"
#include "scale_fixture.h"

static char *draw(const ik_rulebook *rb, ik_graph_format fmt)
{
    ik_buf b;
    ik_error err;
    char *s;

    ik_buf_init(&b);
    assert_int_equal(ik_graph_write(rb, fmt, &b, &err), IK_OK);
    s = strdup(ik_buf_cstr(&b));
    ik_buf_fini(&b);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    while ((hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += strlen(needle);
    }
    return n;
}

/* The text of the cluster `name` (up to the next cluster or edge list). */
static char *cluster(const char *g, const char *name)
{
    const char *start = strstr(g, name), *end;
    char *out;

    assert_non_null(start);
    end = strstr(start + 1, "subgraph");
    if (!end)
        end = start + strlen(start);
    out = strndup(start, (size_t)(end - start));
    assert_non_null(out);
    return out;
}

static void test_format_names_are_dot_and_mermaid_only(void **state)
{
    ik_graph_format f;

    (void)state;
    assert_true(ik_graph_format_parse("dot", &f));
    assert_int_equal(f, IK_GRAPH_DOT);
    assert_true(ik_graph_format_parse("mermaid", &f));
    assert_int_equal(f, IK_GRAPH_MERMAID);
    assert_false(ik_graph_format_parse("svg", &f));
    assert_false(ik_graph_format_parse("", &f));
}

static void test_dot_draws_every_part_in_its_own_cluster(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    char *g = draw(rb, IK_GRAPH_DOT), *flags, *questions;

    (void)state;
    assert_non_null(strstr(g, "digraph \"tiny\" {"));
    assert_string_equal(g + strlen(g) - 2, "}\n");
    assert_int_equal(count(g, "{"), count(g, "}"));
    questions = cluster(g, "subgraph cluster_questions");
    assert_non_null(strstr(questions, "q_surgery [label="));
    assert_non_null(strstr(questions, "q_tried [label="));
    assert_null(strstr(questions, "rf_cauda"));
    flags = cluster(g, "subgraph cluster_red_flags");
    assert_non_null(strstr(flags, "color=\"#cc0000\""));
    assert_non_null(strstr(flags, "shape=octagon"));
    assert_non_null(strstr(flags, "rf_cauda [label=\"cauda\\nstops the"));
    assert_non_null(strstr(flags, "rf_agony [label=\"agony\"]"));
    assert_non_null(strstr(g, "subgraph cluster_ladder"));
    assert_non_null(strstr(g, "subgraph cluster_sections"));
    assert_non_null(strstr(g, "subgraph cluster_rules"));
    assert_non_null(strstr(g, "subgraph cluster_derived"));
    free(flags);
    free(questions);
    free(g);
    ik_rulebook_free(rb);
}

static void test_dot_edges_follow_conditions_and_outcomes(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    char *g = draw(rb, IK_GRAPH_DOT);

    (void)state;
    /* enable_when: pain and tried are asked only after surgery */
    assert_non_null(
        strstr(g, "q_surgery -> q_pain [style=dashed, constraint=false];"));
    assert_non_null(strstr(g, "q_surgery -> q_tried [style=dashed"));
    /* a question never read by enable_when has no dashed edge out */
    assert_null(strstr(g, "q_bladder -> q_"));
    /* derived values and the flags that read answers */
    assert_non_null(strstr(g, "q_pain -> d_severe;"));
    assert_non_null(strstr(g, "q_bladder -> rf_cauda [color=\"#cc0000\"];"));
    assert_non_null(
        strstr(g, "rf_cauda -> disp_emergency [color=\"#cc0000\"];"));
    assert_non_null(strstr(g, "rf_agony -> disp_urgent"));
    /* the ladder in order, and the section each rung leads to */
    assert_non_null(strstr(g, "rung_conservative -> rung_interventional "
                              "[style=bold"));
    assert_null(strstr(g, "rung_interventional -> rung_conservative"));
    assert_non_null(strstr(g, "rung_conservative -> s_conservative"));
    assert_non_null(strstr(g, "d_severe -> rung_interventional;"));
    assert_non_null(strstr(g, "q_tried -> rung_interventional;"));
    /* rules lead to their disposition and sections */
    assert_non_null(strstr(g, "rule_severe_soon -> disp_soon [style=bold"));
    assert_non_null(strstr(g, "rule_severe_soon -> s_overview [style=bold"));
    /* a section shown only by rules has no condition edges */
    assert_null(strstr(g, "-> s_faq"));
    free(g);
    ik_rulebook_free(rb);
}

static void test_labels_are_escaped_for_each_format(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    char *dot = draw(rb, IK_GRAPH_DOT), *mm = draw(rb, IK_GRAPH_MERMAID);

    (void)state;
    assert_non_null(strstr(dot, "label=\"Had \\\"surgery\\\"?\\nsurgery "
                                "(yes/no)\""));
    assert_non_null(strstr(dot, "label=\"Tiny \\\"test\\\" pack 1.0.0"));
    assert_non_null(strstr(mm, "q_surgery[\"Had #quot;surgery#quot;?<br/>"
                               "surgery (yes/no)\"]:::question"));
    assert_null(strstr(mm, "\"surgery\""));
    free(dot);
    free(mm);
    ik_rulebook_free(rb);
}

static void test_mermaid_has_balanced_subgraphs_and_styled_flags(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    char *g = draw(rb, IK_GRAPH_MERMAID);

    (void)state;
    assert_memory_equal(g, "flowchart LR\n", 13);
    assert_int_equal(count(g, "subgraph "), 7);
    assert_int_equal(count(g, "\n  end\n"), 7);
    assert_non_null(strstr(g, "rf_cauda{{\"cauda<br/>stops the interview\"}}"
                              ":::redflag"));
    assert_non_null(strstr(g, "classDef redflag fill:#ffd6d6"));
    assert_non_null(strstr(g, "  q_surgery -.-> q_pain\n"));
    assert_non_null(strstr(g, "  rf_cauda --> disp_emergency\n"));
    assert_non_null(strstr(g, "  rung_conservative ==> rung_interventional\n"));
    free(g);
    ik_rulebook_free(rb);
}

static void
test_bundled_pack_graph_names_every_question_and_renders(void **state)
{
    const char *path = IK_SOURCE_DIR "/rules/failed-back-syndrome.json";
    ik_rulebook *rb = NULL;
    ik_error err;
    char *g, node[160], tmp[] = "/tmp/ik_graph_XXXXXX", cmd[256];
    uint32_t i;
    int fd;

    (void)state;
    if (access(path, R_OK) != 0) /* ships with the repository */
        fail_msg("cannot read %s", path);
    assert_int_equal(ik_rulebook_load_file(path, &rb, &err), IK_OK);
    g = draw(rb, IK_GRAPH_DOT);
    for (i = 0; i < rb->nquestions; i++) {
        snprintf(node, sizeof node, "q_%s [label=", rb->questions[i].id);
        assert_non_null(strstr(g, node));
    }
    for (i = 0; i < rb->nred_flags; i++) {
        snprintf(node, sizeof node, "rf_%s -> disp_", rb->red_flags[i].id);
        assert_non_null(strstr(g, node));
    }
    /* long question texts are cut on a character boundary */
    assert_non_null(strstr(g, "...\\n"));
    /* Graphviz is a test dependency (scripts/deps.sh test installs it):
     * without it the rendering check fails rather than passing unchecked */
    if (access("/usr/bin/dot", X_OK) != 0)
        fail_msg("/usr/bin/dot is missing: run scripts/deps.sh test");
    {
        fd = mkstemp(tmp);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, g, strlen(g)), (ssize_t)strlen(g));
        close(fd);
        snprintf(cmd, sizeof cmd, "/usr/bin/dot -Tsvg %s >/dev/null", tmp);
        assert_int_equal(system(cmd), 0);
        unlink(tmp);
    }
    free(g);
    ik_rulebook_free(rb);
}

static void test_out_of_memory_is_reported_not_crashed(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_buf b;
    ik_error err;
    ik_status st;
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_buf_init(&b);
        ik_alloc_fail_after(n);
        st = ik_graph_write(rb, IK_GRAPH_DOT, &b, &err);
        ik_alloc_fail_after(0);
        ik_buf_fini(&b);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_true(n < 1000);
    }
    assert_true(n > 1);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names_are_dot_and_mermaid_only),
        cmocka_unit_test(test_dot_draws_every_part_in_its_own_cluster),
        cmocka_unit_test(test_dot_edges_follow_conditions_and_outcomes),
        cmocka_unit_test(test_labels_are_escaped_for_each_format),
        cmocka_unit_test(test_mermaid_has_balanced_subgraphs_and_styled_flags),
        cmocka_unit_test(
            test_bundled_pack_graph_names_every_question_and_renders),
        cmocka_unit_test(test_out_of_memory_is_reported_not_crashed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
