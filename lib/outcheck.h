/*
 * The exit-time check of standard output.  Output is buffered, so a write
 * error (a full disk, a closed pipe with SIGPIPE ignored) may only show at
 * the final flush; without this check a tool would exit 0 having lost data.
 */
#ifndef OSTOUR_OUTCHECK_H
#define OSTOUR_OUTCHECK_H

/*
 * Arrange for stdout to be flushed and closed at exit().  If that fails,
 * print "NAME: write error: REASON" and exit with `status` instead.
 * Call it first thing in main.
 */
void outcheck_atexit(int status);

/*
 * Flush stdout now and report a write error as above, exiting with the
 * status given to outcheck_atexit.  For tools about to exec or fork, whose
 * buffered output would otherwise be lost or written twice.
 */
void outcheck_flush(void);

#endif
