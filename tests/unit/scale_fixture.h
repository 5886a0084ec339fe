/*
 * scale_fixture.h -- a small rule pack shared by the graph, batch and
 * explore unit tests, with helpers to load it. Test-only; included by one
 * test file each, so the static functions are not duplicated in a binary.
 */
#ifndef IK_SCALE_FIXTURE_H
#define IK_SCALE_FIXTURE_H

#include "rulebook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two red flags (one stops), a number compared with 7, a multi, a derived
 * value, a two-rung ladder, two sections and a rule; one invariant that
 * holds (bladder -> emergency) and, with BROKEN, one that does not. */
#define TINY_PACK_HEAD                                                       \
    "{\"format\": \"intake-rules/1\", \"id\": \"tiny\", \"version\": "      \
    "\"1.0.0\",\n"                                                           \
    " \"title\": \"Tiny \\\"test\\\" pack\", \"disclaimer\": \"d\", "       \
    "\"safety_net\": \"s\", \"get_help\": \"g\",\n"                          \
    " \"questions\": [\n"                                                    \
    "  {\"id\": \"surgery\", \"type\": \"yes_no\", \"text\": \"Had "        \
    "\\\"surgery\\\"?\", \"required\": true},\n"                             \
    "  {\"id\": \"bladder\", \"type\": \"yes_no\", \"text\": \"Bladder "    \
    "change?\", \"required\": true},\n"                                      \
    "  {\"id\": \"pain\", \"type\": \"number\", \"text\": \"Pain 0 to "     \
    "10?\", \"min\": 0, \"max\": 10, \"integer\": true, \"required\": "     \
    "true,\n"                                                                \
    "   \"enable_when\": {\"==\": [{\"var\": \"surgery\"}, true]}},\n"       \
    "  {\"id\": \"tried\", \"type\": \"multi\", \"text\": \"Tried?\", "     \
    "\"options\": [{\"value\": \"meds\", \"label\": \"Medicines\"}, "       \
    "{\"value\": \"pt\", \"label\": \"Physio\"}], \"allow_none\": true,\n"   \
    "   \"required\": true, \"enable_when\": {\"var\": \"surgery\"}}\n"      \
    " ],\n"                                                                  \
    " \"derived\": [{\"id\": \"severe\", \"value\": {\">=\": [{\"var\": "   \
    "\"pain\"}, 7]}}],\n"                                                    \
    " \"red_flags\": [\n"                                                    \
    "  {\"id\": \"cauda\", \"when\": {\"==\": [{\"var\": \"bladder\"}, "    \
    "true]}, \"disposition\": \"emergency\", \"message\": \"Go now\", "     \
    "\"stop\": true},\n"                                                     \
    "  {\"id\": \"agony\", \"when\": {\"==\": [{\"var\": \"pain\"}, 10]}, " \
    "\"disposition\": \"urgent\", \"message\": \"Today\"}\n"                 \
    " ],\n"                                                                  \
    " \"dispositions\": [{\"id\": \"emergency\", \"label\": \"Emergency\", " \
    "\"advice\": \"a\"}, {\"id\": \"urgent\", \"label\": \"Urgent\", "      \
    "\"advice\": \"a\"},\n"                                                  \
    "  {\"id\": \"soon\", \"label\": \"Soon\", \"advice\": \"a\"}, "        \
    "{\"id\": \"self_care\", \"label\": \"Self care\", \"advice\": "        \
    "\"a\"}],\n"                                                             \
    " \"ladder\": [{\"id\": \"conservative\", \"label\": \"Conservative\", " \
    "\"when\": {\"var\": \"surgery\"}},\n"                                   \
    "  {\"id\": \"interventional\", \"label\": \"Interventional\", "        \
    "\"when\": {\"and\": [{\"var\": \"severe\"}, {\"in\": [\"meds\", "      \
    "{\"var\": \"tried\"}]}]}}],\n"                                          \
    " \"sections\": [{\"id\": \"conservative\", \"title\": \"Conservative " \
    "care\", \"body\": \"b\", \"show_when\": {\"var\": \"surgery\"}},\n"     \
    "  {\"id\": \"overview\", \"title\": \"Overview\", \"body\": \"b\", "   \
    "\"show_when\": {\"==\": [{\"var\": \"surgery\"}, false]}},\n"           \
    "  {\"id\": \"faq\", \"title\": \"FAQ\", \"body\": \"b\"}],\n"           \
    " \"rules\": [{\"id\": \"severe_soon\", \"when\": {\"var\": "           \
    "\"severe\"}, \"then\": {\"disposition\": \"soon\", \"sections\": "     \
    "[\"overview\"]}}],\n"                                                   \
    " \"invariants\": [{\"id\": \"bladder_is_emergency\", \"when\": "       \
    "{\"==\": [{\"var\": \"bladder\"}, true]}, \"expect\": "                \
    "{\"disposition\": \"emergency\"}}"

#define TINY_PACK TINY_PACK_HEAD "]}\n"

/* The same pack with an invariant that fails: severe pain is not always
 * an emergency. */
#define TINY_PACK_BROKEN                                                     \
    TINY_PACK_HEAD ",\n  {\"id\": \"severe_is_emergency\", \"when\": "      \
                   "{\"var\": \"severe\"}, \"expect\": {\"disposition\": "  \
                   "\"emergency\"}}]}\n"

static inline ik_rulebook *fixture_load(const char *text)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    ik_error_clear(&err);
    if (ik_rulebook_load_text(text, strlen(text), "tiny.json", &rb, &err) !=
        IK_OK) {
        fprintf(stderr, "fixture: %d:%d: %s\n", err.line, err.col, err.msg);
        abort();
    }
    return rb;
}

#endif
