/* unit_check.h — the check every unit test counts with: a failed check prints its file, line and
 * message, and the test goes on, so one run lists every failure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H

#include <stdio.h>

static unsigned passed, failed;

#define CHECK(cond, ...)                                     \
    do {                                                     \
        if (cond) {                                          \
            passed++;                                        \
        } else {                                             \
            failed++;                                        \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);  \
            fprintf(stderr, __VA_ARGS__);                    \
            fputc('\n', stderr);                             \
        }                                                    \
    } while (0)

#endif /* UNIT_CHECK_H */
