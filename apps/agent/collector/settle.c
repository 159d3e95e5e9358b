// SPDX-License-Identifier: Apache-2.0
/*
 * Settle looks (README.md, "Settle looks"): the rule of the agent's FilePending, done where the records are read.
 * A write-open of a watched path makes it wait; it is looked at (stat) settle_ns later, and again after settle,
 * 2 settle and 4 settle (the last repeating) while its mtime is younger than settle_ns, until max_pending_ns from
 * its first write-open. Then an 'S' record (what 1) gives its stat and, for an executable or a script up to
 * HASH_MAX_BYTES, its SHA-1, SHA-256 and MD5. The path is then watched for fold_ns: when its mtime has not moved
 * for fold_ns, an 'S' record (what 2) reports the new content if it changed, else a 'Q' record ends the watch. A
 * delete or a rename of the path ends what waits without a record (the agent reports those itself). Each state holds
 * at most MAX_ENTRIES paths: beyond, the waiting path due first, or the oldest watched one, is looked at at once.
 */
#define _GNU_SOURCE
#include "settle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef VIGIL_HASH
#include <openssl/evp.h>
#endif

#define LEVELS 4
#define WATCHED LEVELS
#define MAX_ENTRIES 20000
/* Files up to this size are read and hashed here; larger ones are left to the agent (it decides, and streams them). */
#define HASH_MAX_BYTES (1024 * 1024)

#define S_FIXED 124
#define Q_FIXED 28
#define F_STAT 1u
#define F_HASHABLE 2u
#define F_HASHES 4u
#define F_LARGE 8u

struct entry {
	struct entry *hnext;
	struct entry *prev, *next;
	int queue;
	uint64_t first_ns, due_ns;
	int64_t mt_sec;
	uint32_t mt_nsec;
	uint32_t hash;
	uint16_t len;
	char path[];
};

struct queue {
	struct entry *head, *tail;
	size_t n;
};

static struct settle_cfg cfg;
static uint32_t own_pid;
static struct queue queues[LEVELS + 1];
static struct entry **buckets;
static size_t n_buckets, n_entries;
static unsigned char file_buf[HASH_MAX_BYTES + 1];

#ifdef VIGIL_HASH
/* The digests, fetched once (an implicit fetch per call, as EVP_sha1() gives, costs a look-up each time). */
static EVP_MD *md_sha1, *md_sha256, *md_md5;
static EVP_MD_CTX *md_ctx;

static bool digest(const EVP_MD *md, size_t len, unsigned char *out)
{
	return md && EVP_DigestInit_ex(md_ctx, md, NULL) && EVP_DigestUpdate(md_ctx, file_buf, len) &&
	       EVP_DigestFinal_ex(md_ctx, out, NULL);
}
#endif

static uint32_t hash_path(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fprintf(stderr, "vigil-collector: out of memory\n");
		exit(1);
	}
	return p;
}

void settle_init(const struct settle_cfg *c)
{
	cfg = *c;
	own_pid = (uint32_t)getpid();
#ifdef VIGIL_HASH
	md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	md_md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	md_ctx = EVP_MD_CTX_new();
	if (!md_ctx) {
		fprintf(stderr, "vigil-collector: out of memory\n");
		exit(1);
	}
#endif
	n_buckets = 1024;
	buckets = xcalloc(n_buckets, sizeof(*buckets));
}

static struct entry *find(const char *path, size_t len, uint32_t h)
{
	for (struct entry *e = buckets[h & (n_buckets - 1)]; e; e = e->hnext)
		if (e->hash == h && e->len == len && !memcmp(e->path, path, len))
			return e;
	return NULL;
}

static void grow(void)
{
	size_t n = n_buckets * 2;
	struct entry **b = xcalloc(n, sizeof(*b));
	for (size_t i = 0; i < n_buckets; i++) {
		struct entry *e = buckets[i];
		while (e) {
			struct entry *next = e->hnext;
			e->hnext = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
			e = next;
		}
	}
	free(buckets);
	buckets = b;
	n_buckets = n;
}

static void enqueue(struct entry *e, int q, uint64_t due)
{
	struct queue *Q = &queues[q];
	e->queue = q;
	e->due_ns = due;
	e->next = NULL;
	e->prev = Q->tail;
	if (Q->tail)
		Q->tail->next = e;
	else
		Q->head = e;
	Q->tail = e;
	Q->n++;
}

static void dequeue(struct entry *e)
{
	struct queue *Q = &queues[e->queue];
	if (e->prev)
		e->prev->next = e->next;
	else
		Q->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		Q->tail = e->prev;
	Q->n--;
}

/* Takes e out of the table and frees it (it is in no queue). */
static void unhash(struct entry *e)
{
	struct entry **p = &buckets[e->hash & (n_buckets - 1)];
	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	n_entries--;
	free(e);
}

static void drop(struct entry *e)
{
	dequeue(e);
	unhash(e);
}

static size_t waiting(void)
{
	size_t n = 0;
	for (int q = 0; q < LEVELS; q++)
		n += queues[q].n;
	return n;
}

/* ---- paths as the agent resolves them (posix.resolve against the cwd or the descriptor's folder) ---- */

/* Collapses "//", "." and ".." of an absolute path in place (posix.resolve: no trailing '/'). */
static void normalize(char *p)
{
	size_t n = strlen(p), out = 0, i = 0;

	while (i < n) {
		while (i < n && p[i] == '/')
			i++;
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t seg = j - i;
		if (seg == 0 || (seg == 1 && p[i] == '.')) {
			/* nothing */
		} else if (seg == 2 && p[i] == '.' && p[i + 1] == '.') {
			while (out > 0 && p[out - 1] != '/')
				out--;
			if (out > 0)
				out--;
		} else {
			p[out] = '/';
			memmove(p + out + 1, p + i, seg);
			out += 1 + seg;
		}
		i = j;
	}
	if (out == 0)
		p[out++] = '/';
	p[out] = 0;
}

/* The absolute, normal path of a record's path (relative ones against /proc/PID/cwd or /proc/PID/fd/DFD). */
static bool resolve(uint32_t pid, int32_t dfd, const unsigned char *path, size_t len, char *out)
{
	size_t base = 0;
	if (len == 0 || len >= PATH_MAX)
		return false;
	if (path[0] != '/') {
		char link[64];
		ssize_t n;
		if (dfd == -100)
			snprintf(link, sizeof(link), "/proc/%u/cwd", pid);
		else
			snprintf(link, sizeof(link), "/proc/%u/fd/%d", pid, dfd);
		n = readlink(link, out, PATH_MAX - 1);
		if (n <= 0 || out[0] != '/' || (size_t)n + 1 + len >= PATH_MAX)
			return false;
		base = (size_t)n;
		out[base++] = '/';
	}
	memcpy(out + base, path, len);
	out[base + len] = 0;
	if (memchr(out, 0, base + len))
		return false; /* a NUL inside: not a path the agent would match */
	normalize(out);
	return true;
}

static bool watched(const char *path)
{
	for (int i = 0; i < cfg.n_watch; i++)
		if (!strncmp(path, cfg.watch[i], strlen(cfg.watch[i])))
			return true;
	return false;
}

/* ---- records ---- */

static uint64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t mtime_ns(const struct stat *st)
{
	return (uint64_t)st->st_mtim.tv_sec * 1000000000ULL + (uint64_t)st->st_mtim.tv_nsec;
}

static bool script_ext(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return false;
	for (int i = 0; i < cfg.n_script_ext; i++)
		if (!strcasecmp(dot + 1, cfg.script_ext[i]))
			return true;
	return false;
}

static void header(unsigned char *r, uint32_t size, char kind, uint64_t now, uint32_t what)
{
	uint32_t pid = own_pid;
	memset(r, 0, 24);
	memcpy(r + 0, &size, 4);
	r[4] = (unsigned char)kind;
	memcpy(r + 8, &now, 8);
	memcpy(r + 16, &pid, 4);
	memcpy(r + 20, &what, 4);
}

/*
 * An 'S' record for e: what 1 (its writes settled), 2 (writes folded after its row stopped, and changed it). The
 * stat given (NULL when the path is gone) is replaced by the opened file's when the file is read for its hashes:
 * *io is then what the record says.
 */
static void put_look(const struct entry *e, uint64_t now, uint32_t what, struct stat *io)
{
	unsigned char r[S_FIXED];
	uint32_t flags = 0, size = S_FIXED + e->len;
	struct stat st;
	uint16_t len = e->len;

	header(r, size, 'S', now, what);
	memset(r + 24, 0, S_FIXED - 24);
	if (io) {
		st = *io;
		flags |= F_STAT;
		if (S_ISREG(st.st_mode) && st.st_size > HASH_MAX_BYTES) {
			flags |= F_LARGE;
		} else if (S_ISREG(st.st_mode) && st.st_size <= HASH_MAX_BYTES) {
			/* O_NOATIME: the look leaves the file's access time as it was (and writes no inode for it). */
			int fd = open(e->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOATIME);
			if (fd < 0 && errno == EPERM)
				fd = open(e->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
			struct stat fst;
			if (fd >= 0 && fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode)) {
				size_t got = 0;
				ssize_t n;
				st = fst;
				while (got < sizeof(file_buf) &&
				       ((n = read(fd, file_buf + got, sizeof(file_buf) - got)) > 0 ||
					(n < 0 && errno == EINTR)))
					if (n > 0)
						got += (size_t)n;
				if (got > HASH_MAX_BYTES) {
					flags |= F_LARGE; /* it grew: the agent streams it */
				} else if ((st.st_mode & 0111) || script_ext(e->path) ||
					   (got >= 2 && file_buf[0] == '#' && file_buf[1] == '!') ||
					   (got >= 4 && !memcmp(file_buf, "\x7f" "ELF", 4))) {
					flags |= F_HASHABLE;
#ifdef VIGIL_HASH
					if (digest(md_sha1, got, r + 56) && digest(md_sha256, got, r + 76) &&
					    digest(md_md5, got, r + 108)) {
						flags |= F_HASHES;
						st.st_size = (off_t)got;
					}
#endif
				}
			} else if ((st.st_mode & 0111) || script_ext(e->path)) {
				flags |= F_HASHABLE; /* unreadable here: the agent tries */
			}
			if (fd >= 0)
				close(fd);
		}
		uint64_t sz = (uint64_t)st.st_size;
		int64_t sec = (int64_t)st.st_mtim.tv_sec;
		uint32_t nsec = (uint32_t)st.st_mtim.tv_nsec;
		memcpy(r + 32, &sz, 8);
		memcpy(r + 40, &sec, 8);
		memcpy(r + 48, &nsec, 4);
		*io = st;
	}
	memcpy(r + 24, &flags, 4);
	memcpy(r + 28, &len, 2);
	cfg.put(r, S_FIXED);
	cfg.put(e->path, e->len);
}

/* A 'Q' record: the watch of e ended without a change to report. */
static void put_quiet(const struct entry *e, uint64_t now)
{
	unsigned char r[Q_FIXED];
	uint16_t len = e->len;
	header(r, Q_FIXED + e->len, 'Q', now, 0);
	memset(r + 24, 0, Q_FIXED - 24);
	memcpy(r + 24, &len, 2);
	cfg.put(r, Q_FIXED);
	cfg.put(e->path, e->len);
}

/* ---- the two states ---- */

static void end_watch(struct entry *e, uint64_t now, struct stat *st)
{
	if (st && (st->st_mtim.tv_sec != e->mt_sec || (uint32_t)st->st_mtim.tv_nsec != e->mt_nsec))
		put_look(e, now, 2, st);
	else
		put_quiet(e, now);
	drop(e);
}

/* Reports a waiting path (its writes settled, or waited long enough) and starts watching it. */
static void report(struct entry *e, uint64_t now, struct stat *st)
{
	dequeue(e);
	put_look(e, now, 1, st);
	if (!st) {
		unhash(e);
		return;
	}
	if (queues[WATCHED].n >= MAX_ENTRIES) {
		struct entry *old = queues[WATCHED].head;
		struct stat ost;
		end_watch(old, now, stat(old->path, &ost) == 0 ? &ost : NULL);
	}
	e->mt_sec = (int64_t)st->st_mtim.tv_sec;
	e->mt_nsec = (uint32_t)st->st_mtim.tv_nsec;
	enqueue(e, WATCHED, now + cfg.fold_ns);
}

static void touch(const char *path, size_t len, uint64_t now)
{
	uint32_t h = hash_path(path, len);
	struct entry *e = find(path, len, h);
	if (e) {
		dequeue(e);
		if (e->queue == WATCHED)
			e->first_ns = now;
		enqueue(e, 0, now + cfg.settle_ns);
		return;
	}
	if (waiting() >= MAX_ENTRIES) {
		/* The waiting path due first. */
		struct entry *old = NULL;
		for (int q = 0; q < LEVELS; q++)
			if (queues[q].head && (!old || queues[q].head->due_ns < old->due_ns))
				old = queues[q].head;
		struct stat st;
		report(old, now, stat(old->path, &st) == 0 ? &st : NULL);
	}
	e = xcalloc(1, sizeof(*e) + len + 1);
	memcpy(e->path, path, len);
	e->len = (uint16_t)len;
	e->hash = h;
	e->first_ns = now;
	e->hnext = buckets[h & (n_buckets - 1)];
	buckets[h & (n_buckets - 1)] = e;
	if (++n_entries > n_buckets)
		grow();
	enqueue(e, 0, now + cfg.settle_ns);
}

static void forget(const char *path, size_t len)
{
	struct entry *e = find(path, len, hash_path(path, len));
	if (e)
		drop(e);
}

static uint64_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The path of a file record (dfd at 32, its length at len_off, its bytes at path_off), resolved into `path`. */
static bool record_path(const unsigned char *r, size_t size, size_t len_off, size_t path_off, char *path)
{
	uint32_t pid;
	int32_t dfd;
	uint16_t len;

	if (size < path_off)
		return false;
	memcpy(&pid, r + 16, 4);
	memcpy(&dfd, r + 32, 4);
	memcpy(&len, r + len_off, 2);
	return path_off + len <= size && resolve(pid, dfd, r + path_off, len, path);
}

void settle_record(const unsigned char *r, size_t size)
{
	static char path[PATH_MAX];

	if (size < 24)
		return;
	switch (r[4]) {
	case 'o':
		if (record_path(r, size, 50, 52, path) && watched(path))
			touch(path, strlen(path), mono_now());
		return;
	case 'd':
		if (record_path(r, size, 36, 40, path))
			forget(path, strlen(path));
		return;
	case 'r':
		if (record_path(r, size, 40, 44, path))
			forget(path, strlen(path));
		return;
	}
}

void settle_run(uint64_t now)
{
	uint64_t real = real_ns();
	struct stat st;

	for (int q = 0; q < LEVELS; q++) {
		struct entry *e;
		while ((e = queues[q].head) && e->due_ns <= now) {
			bool ok = stat(e->path, &st) == 0;
			if (ok && mtime_ns(&st) > real - cfg.settle_ns && now - e->first_ns < cfg.max_pending_ns) {
				int next = q + 1 < LEVELS ? q + 1 : LEVELS - 1;
				dequeue(e);
				enqueue(e, next, now + (cfg.settle_ns << (next - 1)));
			} else {
				report(e, now, ok ? &st : NULL);
			}
		}
	}
	{
		struct entry *e;
		while ((e = queues[WATCHED].head) && e->due_ns <= now) {
			bool ok = stat(e->path, &st) == 0;
			uint64_t mt = ok ? mtime_ns(&st) : 0;
			if (ok && mt > real - cfg.fold_ns) {
				/* Still being written: looked at again fold_ns after its last change. */
				uint64_t wait = mt + cfg.fold_ns - real;
				dequeue(e);
				enqueue(e, WATCHED, now + (wait > 1000000 ? wait : 1000000));
			} else {
				end_watch(e, now, ok ? &st : NULL);
			}
		}
	}
}

int settle_next_ms(uint64_t now)
{
	uint64_t due = UINT64_MAX;
	for (int q = 0; q <= LEVELS; q++)
		if (queues[q].head && queues[q].head->due_ns < due)
			due = queues[q].head->due_ns;
	if (due == UINT64_MAX)
		return -1;
	if (due <= now)
		return 0;
	return (int)((due - now + 999999) / 1000000);
}
