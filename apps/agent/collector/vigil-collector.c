// SPDX-License-Identifier: Apache-2.0
/*
 * vigil-collector: loads vigil-collector.bpf.c (through its bpftool skeleton) and copies the records of its ring
 * buffer to stdout. The BPF side submits without wakeups until a sixteenth of the ring is waiting; this side waits
 * --poll-ms (or for such a wakeup), drains the ring and writes what it got in one write per round. See README.md
 * for the record format and the command line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/prctl.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "vigil-collector.skel.h"
#include "settle.h"
#include "leaf.h"

#define MAX_EXCL 16
#define MAX_WATCH 16
#define MAX_SCRIPT_EXT 64
#define MAX_WORDS 8
#define PREFIX_BYTES 64
#define OUT_SIZE (1 << 20)
/* Rounds of --poll-ms without a record after which the loader sleeps until a record wakes it. */
#define IDLE_ROUNDS 4
/* The longest sleep of an idle loader. */
#define IDLE_POLL_MS 1000
#define FOLD_CLEAR_NS (60ULL * 1000000000ULL)

static const char *prog_name = "vigil-collector";

static volatile sig_atomic_t stop;
static unsigned char out[OUT_SIZE];
static size_t out_len;
/* What libbpf said about a failure, for a one-line error: its first warning and the verifier's reason. */
static char libbpf_warn[256];
static char verifier_reason[256];
static bool verbose;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void copy_line(char *dst, size_t size, const char *from, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, from, len);
	dst[len] = 0;
}

/* Without --verbose libbpf is quiet; its first warning (and a verifier log's reason) is kept for fail(). */
static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg = NULL, *line, *end;

	if (verbose)
		return vfprintf(stderr, fmt, ap);
	if (level != LIBBPF_WARN || vasprintf(&msg, fmt, ap) < 0)
		return 0;
	line = msg;
	if (!strncmp(line, "libbpf: ", 8))
		line += 8;
	/* (a failed RLIMIT_MEMLOCK bump is harmless on kernels that account BPF memory to cgroups) */
	if (!libbpf_warn[0] && strncmp(line, "Failed to bump RLIMIT_MEMLOCK", 29))
		copy_line(libbpf_warn, sizeof(libbpf_warn), line, strcspn(line, "\n"));
	/* A verifier log ends with "<reason>\nprocessed N insns ...\n-- END PROG LOAD LOG --". */
	end = strstr(line, "-- END PROG LOAD LOG --");
	if (end) {
		char *stop_at = end, *processed = NULL, *p;
		for (p = line; p && p < end; p = strchr(p, '\n')) {
			if (*p == '\n')
				p++;
			if (!strncmp(p, "processed ", 10)) {
				processed = p;
				break;
			}
		}
		if (processed)
			stop_at = processed;
		/* The last non-empty line before stop_at. */
		while (stop_at > line && (stop_at[-1] == '\n' || stop_at[-1] == ' '))
			stop_at--;
		p = stop_at;
		while (p > line && p[-1] != '\n')
			p--;
		copy_line(verifier_reason, sizeof(verifier_reason), p, (size_t)(stop_at - p));
	}
	free(msg);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [--exclude-pid N]... [--fold-ns N] [--watch PREFIX]... [--no-process] [--no-file]\n"
		   "       [--no-network] [--ringbuf-kb N] [--poll-ms N] [--settle-ms N [--file-rows]] [--process-rows]\n"
		   "       [--script-ext EXT,...] [--replay FILE] [--verbose]\n"
		   "       %s --features\n",
		prog_name, prog_name);
}

static __attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (libbpf_warn[0])
		fprintf(stderr, " (libbpf: %s%s%s)", libbpf_warn, verifier_reason[0] ? "; verifier: " : "",
			verifier_reason);
	fputc('\n', stderr);
	exit(1);
}

static __attribute__((noreturn)) void bad_usage(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s: %s\n", prog_name, what, arg ? arg : "(missing)");
	usage(stderr);
	exit(2);
}

static unsigned long long parse_num(const char *opt, const char *s, unsigned long long max)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		bad_usage(opt, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		bad_usage(opt, s);
	return v;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- output ---- */

/* Writes the buffer out; exits 0 when stdout is gone (EPIPE: the agent closed it). */
static void flush_out(void)
{
	size_t done = 0;

	while (done < out_len) {
		ssize_t n = write(STDOUT_FILENO, out + done, out_len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };
			poll(&p, 1, 1000);
			continue;
		}
		if (n < 0 && errno != EPIPE && errno != EBADF)
			fprintf(stderr, "%s: write to stdout: %s\n", prog_name, strerror(errno));
		exit(0);
	}
	out_len = 0;
}

static void put(const void *data, size_t size)
{
	if (out_len + size > sizeof(out))
		flush_out();
	memcpy(out + out_len, data, size);
	out_len += size;
}

/* A control record: header (ns: CLOCK_MONOTONIC now, pid: the collector's) and an optional u64 at offset 24. */
static void put_control(char kind, uint32_t aux, const uint64_t *extra)
{
	unsigned char r[32] = { 0 };
	uint32_t size = extra ? 32 : 24, pid = (uint32_t)getpid();
	uint64_t ns = mono_ns();

	memcpy(r + 0, &size, 4);
	r[4] = (unsigned char)kind;
	memcpy(r + 8, &ns, 8);
	memcpy(r + 16, &pid, 4);
	memcpy(r + 20, &aux, 4);
	if (extra)
		memcpy(r + 24, extra, 8);
	put(r, size);
}

static bool settling;
/* --file-rows: write-opens, deletes and renames go to the rows of settle.c, not to stdout. */
static bool file_rows;
/* --process-rows: execs are held for the rows of leaf processes (leaf.c). */
static bool process_rows;

/*
 * Forks held back (README.md, "Forks folded into execs"): a fork whose child's next record in the round is its exec
 * is not written, and the exec then names the forking process as its parent. Any other record of the child (a file
 * it writes, its exit, a fork of its own) writes the fork first; the round's end writes the forks still held.
 */
#define MAX_FORKS 64
#define FORK_SIZE 32
static unsigned char forks[MAX_FORKS][FORK_SIZE];
static int n_forks;

static uint32_t u32_at(const unsigned char *r, size_t off)
{
	uint32_t v;
	memcpy(&v, r + off, 4);
	return v;
}

static void drop_fork(int i)
{
	memmove(forks[i], forks[i + 1], (size_t)(n_forks - i - 1) * FORK_SIZE);
	n_forks--;
}

/* Writes the held forks, oldest first. */
static void put_forks(void)
{
	for (int i = 0; i < n_forks; i++)
		put(forks[i], FORK_SIZE);
	n_forks = 0;
}

/* A round's end: what is held is written (forks, then the execs of processes still running). */
static void round_end(void)
{
	put_forks();
	if (process_rows)
		leaf_round_end();
}

static int on_record(void *ctx, void *data, size_t size)
{
	const unsigned char *r = data;
	uint32_t parent = 0;

	(void)ctx;
	if (r[4] == 'F' && size == FORK_SIZE) {
		if (process_rows)
			leaf_other(r); /* the forking process is no leaf */
		if (n_forks == MAX_FORKS) {
			put(forks[0], FORK_SIZE);
			drop_fork(0);
		}
		memcpy(forks[n_forks++], r, FORK_SIZE);
		return 0;
	}
	/* A held fork's child (its header's aux, off 20) is this record's process (off 16)? */
	for (int i = 0; i < n_forks; i++) {
		if (u32_at(forks[i], 20) != u32_at(r, 16))
			continue;
		if (r[4] == 'E')
			parent = u32_at(forks[i], 16); /* the forking process */
		else
			put(forks[i], FORK_SIZE);
		drop_fork(i);
		break;
	}
	if (process_rows) {
		if (r[4] == 'E' ? leaf_exec(r, size, parent) : r[4] == 'X' ? leaf_exit(r) : (leaf_other(r), false))
			return 0;
	}
	if (file_rows && (r[4] == 'o' || r[4] == 'd' || r[4] == 'r')) {
		settle_record(data, size);
		return 0;
	}
	put(data, size);
	/* put() leaves the record at the end of the buffer: a folded exec's real parent becomes the forking process. */
	if (parent)
		memcpy(out + out_len - size + 20, &parent, 4);
	if (settling)
		settle_record(data, size);
	return 0;
}

/*
 * --replay FILE: the records of a capture (the collector's stdout saved to a file) handled as if the ring held them,
 * without BPF: what the collector writes itself ('S', 'Q', 'W', 'i', 'T', 'P') is left out and made again. Rounds are
 * those of the records' kernel times: a round ends before the first record `poll_ms` after the round's first. Then
 * whatever waits is reported (settle_flush, in rows mode) and the collector exits. For tests and for turning a capture
 * into rows.
 */
static int replay(const char *file, uint64_t poll_ms)
{
	FILE *f = fopen(file, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, at = 0;
	uint64_t round_ends = 0;

	if (!f)
		fail("cannot open %s: %s", file, strerror(errno));
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				fail("out of memory reading %s", file);
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		fail("cannot read %s: %s", file, strerror(errno));
	fclose(f);
	while (at + 24 <= len) {
		uint32_t size = u32_at(buf + at, 0);
		unsigned char kind = buf[at + 4];
		if (size < 24 || at + size > len)
			fail("%s: a record at byte %zu has a size of %u bytes, beyond the file's %zu", file, at, size, len);
		uint64_t ns;
		memcpy(&ns, buf + at + 8, 8);
		if (round_ends && ns >= round_ends)
			round_end();
		if (!round_ends || ns >= round_ends)
			round_ends = ns + poll_ms * 1000000ULL;
		if (kind != 'S' && kind != 'Q' && kind != 'W' && kind != 'i' && kind != 'T' && kind != 'P')
			on_record(NULL, buf + at, size);
		at += size;
	}
	if (at != len)
		fail("%s: %zu bytes after the last whole record", file, len - at);
	round_end();
	if (settling && file_rows) {
		settle_flush();
		settle_counters();
	}
	flush_out();
	free(buf);
	return 0;
}

/* ---- configuration ---- */

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* A prefix as little-endian words of its first 64 bytes, with the mask of the bytes each word holds. */
static void set_prefix(struct vigil_collector_bpf *skel, int i, const char *prefix)
{
	size_t len = strlen(prefix);
	int words;

	if (len > PREFIX_BYTES)
		len = PREFIX_BYTES;
	words = (int)((len + 7) / 8);
	skel->rodata->watch_nwords[i] = (uint32_t)words;
	for (int k = 0; k < words; k++) {
		uint64_t value = 0, mask = 0;
		for (size_t b = 0; b < 8 && 8 * (size_t)k + b < len; b++) {
			value |= (uint64_t)(unsigned char)prefix[8 * k + b] << (8 * b);
			mask |= 0xffULL << (8 * b);
		}
		skel->rodata->watch_val[i][k] = value;
		skel->rodata->watch_mask[i][k] = mask;
	}
	if ((uint32_t)words > skel->rodata->n_words)
		skel->rodata->n_words = (uint32_t)words;
}

int main(int argc, char **argv)
{
	struct vigil_collector_bpf *skel;
	struct ring_buffer *ring = NULL;
	struct bpf_program *prog;
	uint32_t excl[MAX_EXCL];
	int n_excl = 0, n_watch = 0, attached = 0;
	char *watch[MAX_WATCH];
	char *script_ext[MAX_SCRIPT_EXT];
	int n_script_ext = 0;
	unsigned long long fold_ns = 5000000000ULL, ringbuf_kb = 4096, poll_ms = 50, settle_ms = 0;
	bool no_process = false, no_file = false, no_network = false;
	const char *replay_file = NULL;
	uint64_t dropped_seen = 0, last_clear;
	struct sigaction sa;
	int err;
	bool idle = false;
	int empty_rounds = 0;

	excl[n_excl++] = (uint32_t)getpid();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--exclude-pid")) {
			if (n_excl >= MAX_EXCL)
				bad_usage("too many --exclude-pid (at most 15)", v);
			excl[n_excl++] = (uint32_t)parse_num(a, v, UINT32_MAX);
			i++;
		} else if (!strcmp(a, "--fold-ns")) {
			fold_ns = parse_num(a, v, ULLONG_MAX);
			i++;
		} else if (!strcmp(a, "--watch")) {
			bool dup = false;
			if (!v || v[0] != '/')
				bad_usage("--watch needs an absolute path", v);
			char *p = malloc(strlen(v) + 2);
			if (!p)
				fail("out of memory");
			strcpy(p, v);
			if (p[strlen(p) - 1] != '/')
				strcat(p, "/");
			for (int k = 0; k < n_watch; k++)
				dup = dup || !strcmp(watch[k], p);
			if (dup) {
				free(p);
			} else {
				if (n_watch >= MAX_WATCH)
					bad_usage("too many --watch (at most 16)", v);
				watch[n_watch++] = p;
			}
			i++;
		} else if (!strcmp(a, "--no-process")) {
			no_process = true;
		} else if (!strcmp(a, "--no-file")) {
			no_file = true;
		} else if (!strcmp(a, "--no-network")) {
			no_network = true;
		} else if (!strcmp(a, "--ringbuf-kb")) {
			ringbuf_kb = parse_num(a, v, 1ULL << 21);
			i++;
		} else if (!strcmp(a, "--poll-ms")) {
			poll_ms = parse_num(a, v, 60000);
			if (poll_ms == 0)
				bad_usage("--poll-ms must be at least 1", v);
			i++;
		} else if (!strcmp(a, "--settle-ms")) {
			settle_ms = parse_num(a, v, 600000);
			i++;
		} else if (!strcmp(a, "--script-ext")) {
			/* A comma-separated list, split in place. */
			if (!v)
				bad_usage("--script-ext needs a list", v);
			n_script_ext = 0;
			for (char *tok = strtok(argv[i + 1], ","); tok; tok = strtok(NULL, ",")) {
				if (n_script_ext >= MAX_SCRIPT_EXT)
					bad_usage("too many --script-ext extensions (at most 64)", v);
				script_ext[n_script_ext++] = tok;
			}
			i++;
		} else if (!strcmp(a, "--file-rows")) {
#ifndef VIGIL_HASH
			bad_usage("--file-rows needs a collector built with OpenSSL's libcrypto (libssl-dev)", a);
#endif
			file_rows = true;
		} else if (!strcmp(a, "--process-rows")) {
#ifndef VIGIL_HASH
			bad_usage("--process-rows needs a collector built with OpenSSL's libcrypto (libssl-dev)", a);
#endif
			process_rows = true;
		} else if (!strcmp(a, "--replay")) {
			if (!v)
				bad_usage("--replay needs a file", v);
			replay_file = v;
			i++;
		} else if (!strcmp(a, "--features")) {
#ifdef VIGIL_HASH
			puts("hash file-rows process-rows");
#else
			puts("");
#endif
			return 0;
		} else if (!strcmp(a, "--verbose")) {
			verbose = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else {
			bad_usage("unknown option", a);
		}
	}

	if (process_rows && no_process)
		bad_usage("--process-rows needs the process programs", "--process-rows");
	if (process_rows)
		leaf_init(put);
	if (file_rows && (!settle_ms || no_file))
		bad_usage("--file-rows needs --settle-ms and the file programs", "--file-rows");
	if (settle_ms && !no_file) {
		struct settle_cfg c = { .settle_ns = settle_ms * 1000000ULL,
					.max_pending_ns = 10 * settle_ms * 1000000ULL,
					.fold_ns = fold_ns,
					.watch = watch,
					.n_watch = n_watch,
					.script_ext = script_ext,
					.n_script_ext = n_script_ext,
					.rows = file_rows,
					.put = put };
		settle_init(&c);
		settling = true;
	}

	/* The agent's pipe closing is seen as EPIPE on write, not as a signal; its death ends the collector. */
	signal(SIGPIPE, SIG_IGN);
	if (replay_file)
		return replay(replay_file, poll_ms);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	libbpf_set_print(on_libbpf_print);

	skel = vigil_collector_bpf__open();
	if (!skel)
		fail("cannot open the BPF object: %s", strerror(errno));

	skel->rodata->n_excl = (uint32_t)n_excl;
	for (int i = 0; i < n_excl; i++)
		skel->rodata->excl_pids[i] = excl[i];
	skel->rodata->fold_ns = fold_ns;
	skel->rodata->n_watch = (uint32_t)n_watch;
	skel->rodata->n_words = 1;
	for (int i = 0; i < n_watch; i++)
		set_prefix(skel, i, watch[i]);

	/* Ring buffer: a power of two number of pages. */
	{
		unsigned long long bytes = (unsigned long long)sysconf(_SC_PAGESIZE), want = ringbuf_kb * 1024;
		while (bytes < want)
			bytes <<= 1;
		if (bpf_map__set_max_entries(skel->maps.rb, (uint32_t)bytes))
			fail("cannot size the ring buffer (%llu bytes)", bytes);
		skel->rodata->wake_bytes = bytes / 16;
	}

	bpf_object__for_each_program(prog, skel->obj)
	{
		const char *name = bpf_program__name(prog);
		bool off = (no_process && has_prefix(name, "proc_")) || (no_file && has_prefix(name, "file_")) ||
			   (no_network && has_prefix(name, "net_"));
		if (off)
			bpf_program__set_autoload(prog, false);
	}

	err = vigil_collector_bpf__load(skel);
	if (err)
		fail("cannot load the BPF programs: %s", strerror(-err));

	/* Attached one by one, to name the one that fails. */
	bpf_object__for_each_program(prog, skel->obj)
	{
		struct bpf_link *link;
		if (!bpf_program__autoload(prog))
			continue;
		libbpf_warn[0] = 0;
		verifier_reason[0] = 0;
		link = bpf_program__attach(prog);
		if (!link)
			fail("cannot attach %s (%s): %s", bpf_program__name(prog), bpf_program__section_name(prog),
			     strerror(errno));
		attached++;
		/* Links live until exit. */
	}

	ring = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_record, NULL, NULL);
	if (!ring)
		fail("cannot open the ring buffer: %s", strerror(errno));

	put_control('A', (uint32_t)attached, NULL);
	flush_out();

	last_clear = mono_ns();
	for (;;) {
		bool last_round = stop;
		int got = 0;
		/*
		 * Waits --poll-ms, or less when a burst wakes it (a signal cuts it short), then drains the whole ring. Idle
		 * (IDLE_ROUNDS rounds found nothing), it waits until the first record wakes it, or IDLE_POLL_MS at most: a
		 * record whose program read consumer_idle just before it was set (and so did not wake it) waits that long.
		 */
		int wait_ms = idle ? IDLE_POLL_MS : (int)poll_ms;
		if (settling) {
			/* Looks are made once a round: a path due sooner waits for the round (one write for its records). */
			int due = settle_next_ms(mono_ns());
			if (due >= 0 && due < (int)poll_ms)
				due = (int)poll_ms;
			if (due >= 0 && due < wait_ms)
				wait_ms = due;
		}
		err = last_round ? 0 : ring_buffer__poll(ring, wait_ms);
		if (err >= 0 || err == -EINTR) {
			got = err > 0 ? err : 0;
			err = ring_buffer__consume(ring);
			if (err > 0)
				got += err;
		}
		if (err < 0 && err != -EINTR)
			fail("cannot read the ring buffer: %s", strerror(-err));
		if (got > 0) {
			empty_rounds = 0;
			if (idle) {
				idle = false;
				__atomic_store_n(&skel->bss->consumer_idle, 0, __ATOMIC_SEQ_CST);
			}
		} else if (!idle && ++empty_rounds >= IDLE_ROUNDS) {
			idle = true;
			__atomic_store_n(&skel->bss->consumer_idle, 1, __ATOMIC_SEQ_CST);
			/* A record submitted before the programs saw the flag did not wake anyone: read it now. */
			err = ring_buffer__consume(ring);
			if (err > 0) {
				idle = false;
				empty_rounds = 0;
				__atomic_store_n(&skel->bss->consumer_idle, 0, __ATOMIC_SEQ_CST);
			}
		}
		{
			uint64_t d = __atomic_load_n(&skel->bss->dropped, __ATOMIC_RELAXED);
			if (d > dropped_seen) {
				dropped_seen = d;
				put_control('Z', 0, &dropped_seen);
			}
		}
		{
			uint64_t now = mono_ns();
			if (now - last_clear >= FOLD_CLEAR_NS) {
				/* The minute clear of the fold map: older entries count as absent. */
				__atomic_store_n(&skel->bss->fold_clear_ns, now, __ATOMIC_RELAXED);
				last_clear = now;
			}
		}
		if (settling && !last_round)
			settle_run(mono_ns());
		round_end();
		/* Rows mode: the rows of what still waits are written before the collector goes (the agent has no others). */
		if (last_round && file_rows)
			settle_flush();
		if (settling)
			settle_counters();
		if (out_len)
			flush_out();
		if (last_round)
			break;
	}
	ring_buffer__free(ring);
	vigil_collector_bpf__destroy(skel);
	return 0;
}
