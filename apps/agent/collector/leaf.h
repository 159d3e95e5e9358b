// SPDX-License-Identifier: Apache-2.0
/*
 * Process rows of vigil-collector (--process-rows): the ProcessCreated row of a short-lived leaf process, a process
 * whose exec and exit come in one round with no other record of it between, is made here ('P' record). See
 * README.md ("Process rows").
 */
#ifndef VIGIL_LEAF_H
#define VIGIL_LEAF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* `put` is where records go (the loader's output buffer). */
void leaf_init(void (*put)(const void *data, size_t size));
/* Any record but an exec or an exit: a held exec of its process is written first (it is no leaf). */
void leaf_other(const unsigned char *rec);
/*
 * An exec record ('E', its real parent already `parent` when its fork was folded, else 0): true when it is held
 * until its exit or the round's end; false when it must be written now (it cannot make a row here).
 */
bool leaf_exec(const unsigned char *rec, size_t size, uint32_t parent);
/* An exit record ('X'): true when it made a leaf's row (nothing else is written); false when it is to be written. */
bool leaf_exit(const unsigned char *rec);
/* The round's end: held execs whose exit did not come are written, oldest first. */
void leaf_round_end(void);

#endif
