/*
 * test_alloc.c -- the fault hooks (fail the Nth allocation, fail the Nth
 * file operation of a save) are per thread: a test that sets one fails
 * only its own thread's allocations or saves, so worker threads (batch
 * --jobs, an embedding program's threads) neither race on its counters
 * nor fail because a test elsewhere injected a fault. The core
 * keeps no process-global fault state (issue 14, 4).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>

#include "alloc.h"
#include "atomic.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void test_the_nth_allocation_and_every_later_one_fail(void **state)
{
    void *a, *b, *c;

    (void)state;
    ik_alloc_fail_after(2);
    a = ik_malloc(8);
    b = ik_malloc(8);
    c = ik_strdup("x");
    assert_non_null(a);
    assert_null(b);
    assert_null(c);
    assert_int_equal(ik_alloc_fail_after(0), 3); /* allocations counted */
    ik_free(a);
    a = ik_malloc(8);
    assert_non_null(a); /* off again */
    ik_free(a);
}

/* On another thread: does one allocation succeed, and how many did this
 * thread's hook count? */
typedef struct probe {
    long set;     /* the hook to set on that thread first; 0: none */
    bool got;     /* its allocation succeeded */
    long counted; /* what its ik_alloc_fail_after(0) returned */
} probe;

static void *allocate_once(void *arg)
{
    probe *p = arg;
    void *m;

    if (p->set)
        ik_alloc_fail_after(p->set);
    m = ik_malloc(16);
    p->got = m != NULL;
    ik_free(m);
    p->counted = ik_alloc_fail_after(0);
    return NULL;
}

static void run_on_thread(probe *p)
{
    pthread_t t;

    assert_int_equal(pthread_create(&t, NULL, allocate_once, p), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

static void test_a_hook_set_here_does_not_fail_another_thread(void **state)
{
    probe p = {0, false, -1};
    void *m;

    (void)state;
    ik_alloc_fail_after(1);
    run_on_thread(&p);
    m = ik_malloc(16);
    assert_null(m);     /* injected here... */
    assert_true(p.got); /* ...not there */
    assert_int_equal(p.counted, 1);
    assert_int_equal(ik_alloc_fail_after(0), 1); /* the thread's not seen */
}

static void test_a_hook_set_on_another_thread_stays_there(void **state)
{
    probe p = {1, true, -1};
    void *m;

    (void)state;
    ik_alloc_fail_after(0);
    run_on_thread(&p);
    assert_false(p.got); /* injected there... */
    assert_int_equal(p.counted, 1);
    m = ik_malloc(16);
    assert_non_null(m); /* ...not here */
    ik_free(m);
    assert_int_equal(ik_alloc_fail_after(0), 1);
}

/* The save-failure hook (atomic.c) is per thread as well. */
typedef struct saver {
    const char *path;
    ik_status st;
} saver;

static void *save_once(void *arg)
{
    saver *sv = arg;
    ik_error err;

    sv->st = ik_atomic_write_new(sv->path, "{}", 2, &err);
    return NULL;
}

static void test_a_save_hook_set_here_does_not_fail_another_thread(void **state)
{
    char dir[] = "/tmp/ik-test-alloc-XXXXXX", here[64], there[64];
    saver sv = {there, IK_EIO};
    pthread_t t;
    ik_error err;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(here, sizeof here, "%s/here.json", dir);
    snprintf(there, sizeof there, "%s/there.json", dir);
    ik_atomic_fail_io_after(1);
    assert_int_equal(pthread_create(&t, NULL, save_once, &sv), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(ik_atomic_write_new(here, "{}", 2, &err), IK_EIO);
    assert_true(ik_atomic_fail_io_after(0) > 0); /* injected here... */
    assert_int_equal(sv.st, IK_OK);              /* ...not there */
    assert_int_equal(unlink(there), 0);
    assert_int_not_equal(unlink(here), 0); /* the failed save left nothing */
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_nth_allocation_and_every_later_one_fail),
        cmocka_unit_test(test_a_hook_set_here_does_not_fail_another_thread),
        cmocka_unit_test(test_a_hook_set_on_another_thread_stays_there),
        cmocka_unit_test(
            test_a_save_hook_set_here_does_not_fail_another_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
