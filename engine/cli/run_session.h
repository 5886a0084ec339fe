/*
 * run_session.h -- what `intake run` calls into for sessions beyond the
 * core API: printing the outcome of an --answers run, and saving the
 * summary offered on the outcome screen. Only engine/cli/ includes this.
 */
#ifndef IK_RUN_SESSION_H
#define IK_RUN_SESSION_H

#include "intake/interview.h"
#include "intake/session.h"

#include <stddef.h>

/* Print iv's outcome JSON and a newline on stdout. Returns an exit code
 * (EXIT_OK; EXIT_IOERR when stdout fails; 70 out of memory). */
int cli_print_outcome_json(const ik_interview *iv);

/*
 * Save the summary of session s (restored into iv) as plain text in a new
 * 0600 file named intake-summary-<time>.txt in the current folder, or in
 * the session folder when the current one is not writable. The path
 * lands in buf. IK_EIO, IK_ENOMEM.
 */
ik_status cli_save_summary(const ik_session *s, const ik_interview *iv,
                           char *buf, size_t cap, ik_error *err);

/* After a restore on a changed pack: say on stderr how many saved answers
 * are left out, then each one at its FILE:LINE:COL with why. */
void cli_report_dropped(const ik_session *s, const char *path);

/* The readable pack file a saved session names (copied into buf), or
 * NULL: what --resume uses when --rules is not given. */
const char *cli_session_pack(const char *session, char *buf, size_t cap);

#endif
