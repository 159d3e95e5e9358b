// SPDX-License-Identifier: Apache-2.0
/*
 * The settle looks of vigil-collector (--settle-ms): written files are looked at until their writes settle, then
 * watched for writes the kernel folded; each outcome is an 'S' or 'Q' record with the file's stat and hashes. See
 * README.md ("Settle looks").
 */
#ifndef VIGIL_SETTLE_H
#define VIGIL_SETTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct settle_cfg {
	uint64_t settle_ns;
	uint64_t max_pending_ns;
	uint64_t fold_ns;
	/* Watched prefixes, each ending in '/'. */
	char *const *watch;
	int n_watch;
	/* Extensions (without the dot) of files hashed as scripts whatever their mode: the agent's list. */
	char *const *script_ext;
	int n_script_ext;
	/* Rows mode (--file-rows): the file path's rows are made here ('W' and 'i' records; see README.md). */
	bool rows;
	/* Where records go (the loader's output buffer). */
	void (*put)(const void *data, size_t size);
};

void settle_init(const struct settle_cfg *cfg);
/* A record of the ring ('o', 'd', 'r' are the ones it reads). */
void settle_record(const unsigned char *rec, size_t size);
/* Looks at the paths that are due at `now` (CLOCK_MONOTONIC ns). */
void settle_run(uint64_t now);
/* Reports everything waiting or watched now (rows mode, at exit: nothing is left unreported). */
void settle_flush(void);
/* Rows mode: a 'T' record with the file path's counters, when they changed since the last one. */
void settle_counters(void);
/* Milliseconds until the next path is due (rounded up), or -1 when none waits. */
int settle_next_ms(uint64_t now);

/*
 * JSON as the agent writes it (shared with the process rows, leaf.c): `s` (n bytes) as a JSON string, decoded as
 * WHATWG's UTF-8 decoder does and escaped as JSON.stringify escapes; `,"key":"hex"` of n bytes. Return the bytes
 * written.
 */
size_t json_str(unsigned char *o, const unsigned char *s, size_t n);
size_t json_hex(unsigned char *o, const char *key, const unsigned char *b, size_t n);
/* The FNV-1a hash of len bytes (the tables' buckets and slots). */
uint32_t fnv1a(const void *data, size_t len);

#endif
